import CPubNubActions
import Foundation

/// Outcome of a request, as the C library reports it in `pna_status_t`.
public struct RequestStatus: Hashable, Sendable {
    /// Result code: `.ok`, or the failure.
    public let code: PubNubActionsError.Code
    /// The PubNub SDK category for `code`.
    public let category: StatusCategory
    /// The operation of the request.
    public let operation: OperationType
    /// HTTP status of the reply, or nil when no reply arrived.
    public let httpStatus: Int?
    /// Description of the outcome for people, including the HTTP status and
    /// the server's message when there was a reply.
    public let message: String
    /// The server's error message, or nil when the reply had none.
    public let serverMessage: String?
    /// The server's `error.details` array as JSON text, or nil.
    public let serverDetails: String?
    /// Seconds from the reply's `Retry-After` header, or nil when absent.
    public let retryAfterSeconds: Int?
    /// Host (and port) the request went to.
    public let origin: String
    /// Whether the request used TLS.
    public let isTLS: Bool
    /// User id the request was sent with.
    public let userId: String
    /// Channel of the request.
    public let channel: String
    /// Id of the asynchronous request, or nil for publish, which the C
    /// library runs synchronously.
    public let requestId: UInt64?

    init(_ status: pna_status_t) {
        code = PubNubActionsError.Code(rawValue: status.code)
        category = StatusCategory(rawValue: status.category)
        operation = OperationType(rawValue: status.operation)
        httpStatus = status.http_status == 0 ? nil : Int(status.http_status)
        message = status.message.map { String(cString: $0) } ?? ""
        serverMessage = status.server_message.map { String(cString: $0) }
        serverDetails = status.server_details.map { String(cString: $0) }
        retryAfterSeconds = status.retry_after_seconds == 0 ? nil : Int(status.retry_after_seconds)
        origin = status.origin.map { String(cString: $0) } ?? ""
        isTLS = status.tls
        userId = status.user_id.map { String(cString: $0) } ?? ""
        channel = status.channel.map { String(cString: $0) } ?? ""
        requestId = status.request_id == 0 ? nil : status.request_id
    }
}

/// Every error that the PubNubActions package throws or passes to a
/// completion handler.
///
/// Cases that carry a ``RequestStatus`` describe a request that was sent or
/// attempted; the others describe a call rejected before anything was sent.
/// Read ``code``, ``category``, ``httpStatus``, ``serverMessage`` and
/// ``message`` for the details common to all cases.
public enum PubNubActionsError: Error, Hashable, Sendable {
    /// The C library rejected an argument or a configuration setting; nothing
    /// was sent. The code names the argument (codes 1000–1199).
    case invalidArgument(Code)
    /// This package rejected an argument that the C API cannot carry, such as
    /// a string with a NUL character or a limit below 1; nothing was sent.
    case invalidValue(argument: String, reason: String)
    /// The client did not accept the request: its queue is full, it is closed,
    /// or it could not start a thread (codes 2000–2099). Nothing was sent.
    case requestRejected(Code)
    /// The request was cancelled, because its task was cancelled or because the
    /// client was closed or released first. A request already sent may still
    /// take effect on the server.
    case cancelled(RequestStatus)
    /// The request did not complete within the configured timeout.
    case timedOut(RequestStatus)
    /// The connection or the TLS handshake with the origin failed, or the
    /// origin's certificate is not trusted. `status.code` distinguishes them.
    case connectionFailed(RequestStatus)
    /// HTTP 207: the server stored the change but did not publish its event
    /// to subscribers. `action` is the stored action when the reply has one.
    case eventNotPublished(RequestStatus, action: MessageAction?)
    /// HTTP 400, for example when no action matches a remove.
    case badRequest(RequestStatus)
    /// HTTP 403: the auth key lacks the permission, or the signature is invalid.
    case accessDenied(RequestStatus)
    /// HTTP 409: this user already added an action with this type and value.
    case alreadyAdded(RequestStatus)
    /// HTTP 429. `status.retryAfterSeconds` is the delay from the reply's
    /// `Retry-After` header, when it has one.
    case rateLimited(RequestStatus)
    /// HTTP 5xx.
    case serverError(RequestStatus)
    /// An HTTP status that none of the other cases covers.
    case unexpectedHTTPStatus(RequestStatus)
    /// The reply could not be read or is not the expected JSON.
    case malformedResponse(RequestStatus)
    /// A bug in the C library (a panic was caught) or in this package.
    /// The status is nil when a call failed before a request existed.
    case internalError(RequestStatus?)
    /// A request ended with a code that this version of the package does not
    /// know; a newer C library may report one.
    case requestFailed(RequestStatus)

    /// Maps a code returned by a C call that did not start a request.
    init(rejectedCall code: Code) {
        switch code.rawValue {
        case 1000..<2000:
            self = .invalidArgument(code)
        case Code.internal.rawValue:
            self = .internalError(nil)
        default:
            self = .requestRejected(code)
        }
    }

    /// Maps the status of a request that ended with an error.
    init(status: RequestStatus, action: MessageAction? = nil) {
        switch status.code {
        case .cancelled:
            self = .cancelled(status)
        case .timeout:
            self = .timedOut(status)
        case .connectionFailed, .tlsFailed, .tlsCertificateUntrusted:
            self = .connectionFailed(status)
        case .eventNotPublished:
            self = .eventNotPublished(status, action: action)
        case .badRequest:
            self = .badRequest(status)
        case .accessDenied:
            self = .accessDenied(status)
        case .alreadyAdded:
            self = .alreadyAdded(status)
        case .rateLimited:
            self = .rateLimited(status)
        case .serverError:
            self = .serverError(status)
        case .httpError:
            self = .unexpectedHTTPStatus(status)
        case .malformedResponse:
            self = .malformedResponse(status)
        case .internal, .ok:
            // A status of .ok arrives here only when a successful reply
            // carried no data, which the C library documents as impossible.
            self = .internalError(status)
        default:
            self = .requestFailed(status)
        }
    }

    /// The status of the request, or nil when nothing was sent.
    public var status: RequestStatus? {
        switch self {
        case .invalidArgument, .invalidValue, .requestRejected:
            return nil
        case .cancelled(let status), .timedOut(let status), .connectionFailed(let status),
            .eventNotPublished(let status, _), .badRequest(let status), .accessDenied(let status),
            .alreadyAdded(let status), .rateLimited(let status), .serverError(let status),
            .unexpectedHTTPStatus(let status), .malformedResponse(let status),
            .requestFailed(let status):
            return status
        case .internalError(let status):
            return status
        }
    }

    /// The C library's code, or nil for ``invalidValue(argument:reason:)``,
    /// which this package raises before calling the library.
    public var code: Code? {
        switch self {
        case .invalidArgument(let code), .requestRejected(let code):
            return code
        case .invalidValue:
            return nil
        case .internalError(nil):
            return .internal
        default:
            return status?.code
        }
    }

    /// The PubNub SDK category of the request, or nil when nothing was sent.
    public var category: StatusCategory? {
        status?.category
    }

    /// HTTP status of the reply, or nil when no reply arrived.
    public var httpStatus: Int? {
        status?.httpStatus
    }

    /// The server's error message, or nil when no reply carried one.
    public var serverMessage: String? {
        status?.serverMessage
    }

    /// Description of the error for people.
    public var message: String {
        switch self {
        case .invalidArgument(let code), .requestRejected(let code):
            return code.message
        case .invalidValue(let argument, let reason):
            return "invalid argument: \(argument) \(reason)"
        case .internalError(nil):
            return Code.internal.message
        default:
            return status?.message ?? ""
        }
    }
}

extension PubNubActionsError: CustomStringConvertible, LocalizedError {
    public var description: String {
        message
    }

    public var errorDescription: String? {
        message
    }
}
