import CPubNubActions

extension PubNubActionsError {
    /// Result code of the C library (`pna_code_t`), with its number.
    ///
    /// Numbers are fixed and never reused: 0 is success, 1000–1199 reject an
    /// argument before anything is sent, 2000–2099 reject a call because of the
    /// client's state, 3000–3099 describe how a sent request ended, and 9000 is
    /// an internal error. A number this version does not name still converts,
    /// so a newer library never breaks an older wrapper.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt32

        public init(rawValue: UInt32) {
            self.rawValue = rawValue
        }

        /// Converts a `PNA_CODE_…` constant. The C enum and the C typedef are
        /// both named `pna_code`, which makes that name ambiguous in Swift, so
        /// the constant's type is left generic.
        init<Constant: RawRepresentable>(_ constant: Constant) where Constant.RawValue == UInt32 {
            self.rawValue = constant.rawValue
        }

        /// The library's English message for this code, such as
        /// "invalid argument: channel is empty".
        public var message: String {
            String(cString: pna_code_message(rawValue))
        }

        public var description: String {
            "\(rawValue) (\(message))"
        }

        /// Whether the code rejected an argument before anything was sent.
        public var isInvalidArgument: Bool {
            (1000..<2000).contains(rawValue)
        }

        public static let ok = Code(PNA_CODE_OK)

        public static let clientNull = Code(PNA_CODE_CLIENT_NULL)
        public static let configNull = Code(PNA_CODE_CONFIG_NULL)
        public static let callbackNull = Code(PNA_CODE_CALLBACK_NULL)
        public static let outputNull = Code(PNA_CODE_OUTPUT_NULL)
        public static let channelNull = Code(PNA_CODE_CHANNEL_NULL)
        public static let channelEmpty = Code(PNA_CODE_CHANNEL_EMPTY)
        public static let channelNotUTF8 = Code(PNA_CODE_CHANNEL_NOT_UTF8)
        public static let typeNull = Code(PNA_CODE_TYPE_NULL)
        public static let typeEmpty = Code(PNA_CODE_TYPE_EMPTY)
        public static let typeNotUTF8 = Code(PNA_CODE_TYPE_NOT_UTF8)
        public static let valueNull = Code(PNA_CODE_VALUE_NULL)
        public static let valueEmpty = Code(PNA_CODE_VALUE_EMPTY)
        public static let valueNotUTF8 = Code(PNA_CODE_VALUE_NOT_UTF8)
        public static let messageNull = Code(PNA_CODE_MESSAGE_NULL)
        public static let messageEmpty = Code(PNA_CODE_MESSAGE_EMPTY)
        public static let messageNotUTF8 = Code(PNA_CODE_MESSAGE_NOT_UTF8)
        public static let messageNotJSON = Code(PNA_CODE_MESSAGE_NOT_JSON)
        public static let messageTimetokenZero = Code(PNA_CODE_MESSAGE_TIMETOKEN_ZERO)
        public static let actionTimetokenZero = Code(PNA_CODE_ACTION_TIMETOKEN_ZERO)
        public static let limitTooLarge = Code(PNA_CODE_LIMIT_TOO_LARGE)
        public static let rangeEmpty = Code(PNA_CODE_RANGE_EMPTY)
        public static let subscribeKeyNull = Code(PNA_CODE_SUBSCRIBE_KEY_NULL)
        public static let subscribeKeyEmpty = Code(PNA_CODE_SUBSCRIBE_KEY_EMPTY)
        public static let subscribeKeyNotUTF8 = Code(PNA_CODE_SUBSCRIBE_KEY_NOT_UTF8)
        public static let publishKeyNotUTF8 = Code(PNA_CODE_PUBLISH_KEY_NOT_UTF8)
        public static let publishKeyMissing = Code(PNA_CODE_PUBLISH_KEY_MISSING)
        public static let secretKeyNotUTF8 = Code(PNA_CODE_SECRET_KEY_NOT_UTF8)
        public static let secretKeyWithoutPublishKey = Code(PNA_CODE_SECRET_KEY_WITHOUT_PUBLISH_KEY)
        public static let authKeyNotUTF8 = Code(PNA_CODE_AUTH_KEY_NOT_UTF8)
        public static let userIdNull = Code(PNA_CODE_USER_ID_NULL)
        public static let userIdEmpty = Code(PNA_CODE_USER_ID_EMPTY)
        public static let userIdNotUTF8 = Code(PNA_CODE_USER_ID_NOT_UTF8)
        public static let userIdTooLong = Code(PNA_CODE_USER_ID_TOO_LONG)
        public static let originNull = Code(PNA_CODE_ORIGIN_NULL)
        public static let originEmpty = Code(PNA_CODE_ORIGIN_EMPTY)
        public static let originNotUTF8 = Code(PNA_CODE_ORIGIN_NOT_UTF8)
        public static let originInvalid = Code(PNA_CODE_ORIGIN_INVALID)
        public static let caFileNotUTF8 = Code(PNA_CODE_CA_FILE_NOT_UTF8)
        public static let caFileInvalid = Code(PNA_CODE_CA_FILE_INVALID)
        public static let workerCountInvalid = Code(PNA_CODE_WORKER_COUNT_INVALID)
        public static let queueCapacityInvalid = Code(PNA_CODE_QUEUE_CAPACITY_INVALID)
        public static let timeoutInvalid = Code(PNA_CODE_TIMEOUT_INVALID)

        public static let queueFull = Code(PNA_CODE_QUEUE_FULL)
        public static let requestNotFound = Code(PNA_CODE_REQUEST_NOT_FOUND)
        public static let clientClosed = Code(PNA_CODE_CLIENT_CLOSED)
        public static let threadSpawnFailed = Code(PNA_CODE_THREAD_SPAWN_FAILED)

        public static let cancelled = Code(PNA_CODE_CANCELLED)
        public static let timeout = Code(PNA_CODE_TIMEOUT)
        public static let connectionFailed = Code(PNA_CODE_CONNECTION_FAILED)
        public static let tlsFailed = Code(PNA_CODE_TLS_FAILED)
        public static let tlsCertificateUntrusted = Code(PNA_CODE_TLS_CERTIFICATE_UNTRUSTED)
        public static let eventNotPublished = Code(PNA_CODE_EVENT_NOT_PUBLISHED)
        public static let badRequest = Code(PNA_CODE_BAD_REQUEST)
        public static let accessDenied = Code(PNA_CODE_ACCESS_DENIED)
        public static let alreadyAdded = Code(PNA_CODE_ALREADY_ADDED)
        public static let rateLimited = Code(PNA_CODE_RATE_LIMITED)
        public static let serverError = Code(PNA_CODE_SERVER_ERROR)
        public static let httpError = Code(PNA_CODE_HTTP_ERROR)
        public static let malformedResponse = Code(PNA_CODE_MALFORMED_RESPONSE)

        public static let `internal` = Code(PNA_CODE_INTERNAL)
    }
}

/// Status category, with the numbers and names of the PubNub Python SDK's
/// `PNStatusCategory` (pubnub 10.x), as the C library reports them.
///
/// Constants cover the categories that publish and the message action
/// operations can report; the subscribe-only ones are left out.
public struct StatusCategory: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    init<Constant: RawRepresentable>(_ constant: Constant) where Constant.RawValue == UInt32 {
        self.rawValue = constant.rawValue
    }

    /// The PubNub SDK name, such as "PNAccessDeniedCategory", or
    /// "unknown category" for a number the library does not know.
    public var name: String {
        String(cString: pna_category_name(rawValue))
    }

    public var description: String {
        name
    }

    public static let unknown = StatusCategory(PNA_CATEGORY_UNKNOWN)
    public static let acknowledgment = StatusCategory(PNA_CATEGORY_ACKNOWLEDGMENT)
    public static let accessDenied = StatusCategory(PNA_CATEGORY_ACCESS_DENIED)
    public static let timeout = StatusCategory(PNA_CATEGORY_TIMEOUT)
    public static let networkIssues = StatusCategory(PNA_CATEGORY_NETWORK_ISSUES)
    public static let unexpectedDisconnect = StatusCategory(PNA_CATEGORY_UNEXPECTED_DISCONNECT)
    public static let cancelled = StatusCategory(PNA_CATEGORY_CANCELLED)
    public static let badRequest = StatusCategory(PNA_CATEGORY_BAD_REQUEST)
    public static let malformedResponse = StatusCategory(PNA_CATEGORY_MALFORMED_RESPONSE)
    public static let tlsConnectionFailed = StatusCategory(PNA_CATEGORY_TLS_CONNECTION_FAILED)
    public static let tlsUntrustedCertificate = StatusCategory(PNA_CATEGORY_TLS_UNTRUSTED_CERTIFICATE)
    public static let internalException = StatusCategory(PNA_CATEGORY_INTERNAL_EXCEPTION)
    public static let connectionError = StatusCategory(PNA_CATEGORY_CONNECTION_ERROR)
    public static let serializationError = StatusCategory(PNA_CATEGORY_SERIALIZATION_ERROR)
}

/// Operation of a request, with the numbers and names of the PubNub Python
/// SDK's `PNOperationType` (pubnub 10.x).
public struct OperationType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    init<Constant: RawRepresentable>(_ constant: Constant) where Constant.RawValue == UInt32 {
        self.rawValue = constant.rawValue
    }

    /// The PubNub SDK name, such as "PNAddMessageAction", or
    /// "unknown operation" for a number the library does not know.
    public var name: String {
        String(cString: pna_operation_name(rawValue))
    }

    public var description: String {
        name
    }

    public static let publish = OperationType(PNA_OPERATION_PUBLISH)
    public static let addMessageAction = OperationType(PNA_OPERATION_ADD_MESSAGE_ACTION)
    public static let getMessageActions = OperationType(PNA_OPERATION_GET_MESSAGE_ACTIONS)
    public static let removeMessageAction = OperationType(PNA_OPERATION_REMOVE_MESSAGE_ACTION)
}
