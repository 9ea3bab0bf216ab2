//! Result codes, status categories, operations and the status of a finished request.

use std::ffi::CStr;
use std::fmt;

/// Outcome of a call or a request.
///
/// Numbers are explicit and never reused. 0 is success. 1000–1199 reject a call
/// because of an argument, so nothing was sent. 2000–2099 reject a call because
/// of the client's state. 3000–3099 describe how a sent request ended. 9000 is an
/// internal error.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// Success.
    Ok = 0,

    /// The client handle is NULL.
    ClientNull = 1000,
    /// The configuration pointer is NULL.
    ConfigNull = 1001,
    /// The callback is NULL.
    CallbackNull = 1002,
    /// The output pointer is NULL.
    OutputNull = 1003,

    /// The channel is NULL.
    ChannelNull = 1010,
    /// The channel is an empty string.
    ChannelEmpty = 1011,
    /// The channel is not valid UTF-8.
    ChannelNotUtf8 = 1012,

    /// The action type is NULL.
    TypeNull = 1020,
    /// The action type is an empty string.
    TypeEmpty = 1021,
    /// The action type is not valid UTF-8.
    TypeNotUtf8 = 1022,

    /// The action value is NULL.
    ValueNull = 1030,
    /// The action value is an empty string.
    ValueEmpty = 1031,
    /// The action value is not valid UTF-8.
    ValueNotUtf8 = 1032,

    /// The message to publish is NULL.
    MessageNull = 1040,
    /// The message to publish is an empty string.
    MessageEmpty = 1041,
    /// The message to publish is not valid UTF-8.
    MessageNotUtf8 = 1042,
    /// The message to publish is not a JSON document.
    MessageNotJson = 1043,

    /// The message timetoken is 0.
    MessageTimetokenZero = 1050,
    /// The action timetoken is 0.
    ActionTimetokenZero = 1051,
    /// The page limit is above the service maximum.
    LimitTooLarge = 1052,
    /// Both range bounds are set and no timetoken can satisfy them.
    RangeEmpty = 1053,

    /// The subscribe key is NULL.
    SubscribeKeyNull = 1060,
    /// The subscribe key is an empty string.
    SubscribeKeyEmpty = 1061,
    /// The subscribe key is not valid UTF-8.
    SubscribeKeyNotUtf8 = 1062,
    /// The publish key is not valid UTF-8.
    PublishKeyNotUtf8 = 1063,
    /// Publishing needs a publish key and the configuration has none.
    PublishKeyMissing = 1064,
    /// The secret key is not valid UTF-8.
    SecretKeyNotUtf8 = 1065,
    /// A secret key is set but no publish key, and signatures cover the publish key.
    SecretKeyWithoutPublishKey = 1066,
    /// The auth key is not valid UTF-8.
    AuthKeyNotUtf8 = 1067,

    /// The user id is NULL.
    UserIdNull = 1070,
    /// The user id is an empty string.
    UserIdEmpty = 1071,
    /// The user id is not valid UTF-8.
    UserIdNotUtf8 = 1072,
    /// The user id is longer than the service accepts.
    UserIdTooLong = 1073,

    /// The origin is NULL.
    OriginNull = 1080,
    /// The origin is an empty string.
    OriginEmpty = 1081,
    /// The origin is not valid UTF-8.
    OriginNotUtf8 = 1082,
    /// The origin is not a bare host or host:port.
    OriginInvalid = 1083,

    /// The CA file path is not valid UTF-8.
    CaFileNotUtf8 = 1090,
    /// The CA file could not be read or contains no PEM certificate.
    CaFileInvalid = 1091,
    /// The worker count is 0 or above the maximum.
    WorkerCountInvalid = 1092,
    /// The queue capacity is 0 or above the maximum.
    QueueCapacityInvalid = 1093,
    /// A timeout is below 1 ms or above the maximum.
    TimeoutInvalid = 1094,

    /// The client's request queue is full.
    QueueFull = 2000,
    /// No pending request has this id.
    RequestNotFound = 2001,
    /// The client is shutting down.
    ClientClosed = 2002,
    /// The operating system refused to start a thread.
    ThreadSpawnFailed = 2003,

    /// The request was cancelled before it completed.
    Cancelled = 3000,
    /// The request did not complete within its timeout.
    Timeout = 3001,
    /// The connection to the origin failed or broke.
    ConnectionFailed = 3002,
    /// The TLS handshake failed.
    TlsFailed = 3003,
    /// The origin's certificate is not trusted.
    TlsCertificateUntrusted = 3004,

    /// HTTP 207: the change was stored but its event was not published.
    EventNotPublished = 3010,
    /// HTTP 400.
    BadRequest = 3011,
    /// HTTP 403.
    AccessDenied = 3012,
    /// HTTP 409: the same user already added this type and value to the message.
    AlreadyAdded = 3013,
    /// HTTP 429.
    RateLimited = 3014,
    /// HTTP 5xx.
    ServerError = 3015,
    /// Any other unexpected HTTP status.
    HttpError = 3016,

    /// The reply could not be read or parsed.
    MalformedResponse = 3020,

    /// A bug in the library: a panic was caught at the C boundary.
    Internal = 9000,
}

impl Code {
    /// Every code, in numeric order.
    pub const ALL: &'static [Code] = &[
        Code::Ok,
        Code::ClientNull,
        Code::ConfigNull,
        Code::CallbackNull,
        Code::OutputNull,
        Code::ChannelNull,
        Code::ChannelEmpty,
        Code::ChannelNotUtf8,
        Code::TypeNull,
        Code::TypeEmpty,
        Code::TypeNotUtf8,
        Code::ValueNull,
        Code::ValueEmpty,
        Code::ValueNotUtf8,
        Code::MessageNull,
        Code::MessageEmpty,
        Code::MessageNotUtf8,
        Code::MessageNotJson,
        Code::MessageTimetokenZero,
        Code::ActionTimetokenZero,
        Code::LimitTooLarge,
        Code::RangeEmpty,
        Code::SubscribeKeyNull,
        Code::SubscribeKeyEmpty,
        Code::SubscribeKeyNotUtf8,
        Code::PublishKeyNotUtf8,
        Code::PublishKeyMissing,
        Code::SecretKeyNotUtf8,
        Code::SecretKeyWithoutPublishKey,
        Code::AuthKeyNotUtf8,
        Code::UserIdNull,
        Code::UserIdEmpty,
        Code::UserIdNotUtf8,
        Code::UserIdTooLong,
        Code::OriginNull,
        Code::OriginEmpty,
        Code::OriginNotUtf8,
        Code::OriginInvalid,
        Code::CaFileNotUtf8,
        Code::CaFileInvalid,
        Code::WorkerCountInvalid,
        Code::QueueCapacityInvalid,
        Code::TimeoutInvalid,
        Code::QueueFull,
        Code::RequestNotFound,
        Code::ClientClosed,
        Code::ThreadSpawnFailed,
        Code::Cancelled,
        Code::Timeout,
        Code::ConnectionFailed,
        Code::TlsFailed,
        Code::TlsCertificateUntrusted,
        Code::EventNotPublished,
        Code::BadRequest,
        Code::AccessDenied,
        Code::AlreadyAdded,
        Code::RateLimited,
        Code::ServerError,
        Code::HttpError,
        Code::MalformedResponse,
        Code::Internal,
    ];

    /// Returns the static English message for this code.
    pub fn message(self) -> &'static str {
        static_str(self.c_message())
    }

    /// Returns the message as a NUL-terminated string, for the C ABI.
    pub fn c_message(self) -> &'static CStr {
        match self {
            Code::Ok => c"success",
            Code::ClientNull => c"invalid argument: client is NULL",
            Code::ConfigNull => c"invalid argument: config is NULL",
            Code::CallbackNull => c"invalid argument: callback is NULL",
            Code::OutputNull => c"invalid argument: the output pointer is NULL",
            Code::ChannelNull => c"invalid argument: channel is NULL",
            Code::ChannelEmpty => c"invalid argument: channel is empty",
            Code::ChannelNotUtf8 => c"invalid argument: channel is not valid UTF-8",
            Code::TypeNull => c"invalid argument: type is NULL",
            Code::TypeEmpty => c"invalid argument: type is empty",
            Code::TypeNotUtf8 => c"invalid argument: type is not valid UTF-8",
            Code::ValueNull => c"invalid argument: value is NULL",
            Code::ValueEmpty => c"invalid argument: value is empty",
            Code::ValueNotUtf8 => c"invalid argument: value is not valid UTF-8",
            Code::MessageNull => c"invalid argument: message is NULL",
            Code::MessageEmpty => c"invalid argument: message is empty",
            Code::MessageNotUtf8 => c"invalid argument: message is not valid UTF-8",
            Code::MessageNotJson => {
                c"invalid argument: message is not valid JSON (publish takes a JSON document, for example \"\\\"hello\\\"\" for a string)"
            }
            Code::MessageTimetokenZero => {
                c"invalid argument: message_timetoken is 0 or not set; pass the timetoken that publish returned for the message"
            }
            Code::ActionTimetokenZero => {
                c"invalid argument: action_timetoken is 0 or not set; pass the action_timetoken that add or get returned"
            }
            Code::LimitTooLarge => {
                c"invalid argument: limit is above 100, the maximum number of actions per page; pass 1 to 100, or 0 for 100"
            }
            Code::RangeEmpty => {
                c"invalid argument: end is not below start; start is exclusive and end inclusive, so end must be lower than start"
            }
            Code::SubscribeKeyNull => c"invalid argument: subscribe_key is NULL",
            Code::SubscribeKeyEmpty => c"invalid argument: subscribe_key is empty",
            Code::SubscribeKeyNotUtf8 => c"invalid argument: subscribe_key is not valid UTF-8",
            Code::PublishKeyNotUtf8 => c"invalid argument: publish_key is not valid UTF-8",
            Code::PublishKeyMissing => {
                c"invalid argument: publish_key is not set; publishing needs the publish key of the key set"
            }
            Code::SecretKeyNotUtf8 => c"invalid argument: secret_key is not valid UTF-8",
            Code::SecretKeyWithoutPublishKey => {
                c"invalid argument: secret_key is set but publish_key is not; request signatures need both"
            }
            Code::AuthKeyNotUtf8 => c"invalid argument: auth_key is not valid UTF-8",
            Code::UserIdNull => c"invalid argument: user_id is NULL",
            Code::UserIdEmpty => c"invalid argument: user_id is empty",
            Code::UserIdNotUtf8 => c"invalid argument: user_id is not valid UTF-8",
            Code::UserIdTooLong => {
                c"invalid argument: user_id is longer than 92 bytes, the service maximum"
            }
            Code::OriginNull => {
                c"invalid argument: origin is NULL; set the host (and optional port) of the service, for example the emulator's 127.0.0.1:PORT"
            }
            Code::OriginEmpty => {
                c"invalid argument: origin is empty; set the host (and optional port) of the service, for example the emulator's 127.0.0.1:PORT"
            }
            Code::OriginNotUtf8 => c"invalid argument: origin is not valid UTF-8",
            Code::OriginInvalid => {
                c"invalid argument: origin must be a host or host:port without scheme, path, spaces or user info"
            }
            Code::CaFileNotUtf8 => c"invalid argument: ca_file is not valid UTF-8",
            Code::CaFileInvalid => {
                c"invalid argument: ca_file could not be read or contains no PEM certificate"
            }
            Code::WorkerCountInvalid => c"invalid argument: worker_count must be between 1 and 256",
            Code::QueueCapacityInvalid => {
                c"invalid argument: queue_capacity must be between 1 and 1000000"
            }
            Code::TimeoutInvalid => {
                c"invalid argument: connect_timeout and request_timeout must be between 1 ms and 3600000 ms (one hour)"
            }
            Code::QueueFull => {
                c"the client's request queue is full; wait for callbacks to complete or raise queue_capacity"
            }
            Code::RequestNotFound => {
                c"no pending request has this id; it has completed or was never started"
            }
            Code::ClientClosed => c"the client is shutting down and accepts no new requests",
            Code::ThreadSpawnFailed => c"the client could not start its worker threads",
            Code::Cancelled => c"the request was cancelled",
            Code::Timeout => c"the request timed out",
            Code::ConnectionFailed => c"the connection to the origin failed",
            Code::TlsFailed => c"the TLS handshake with the origin failed",
            Code::TlsCertificateUntrusted => {
                c"the origin's TLS certificate is not trusted (unknown issuer, expired or another host name); for a private CA set ca_file"
            }
            Code::EventNotPublished => {
                c"the server stored the change but could not publish its event to subscribers"
            }
            Code::BadRequest => c"the server rejected the request as invalid",
            Code::AccessDenied => {
                c"the server denied access (check the auth key, its permissions and the request signature)"
            }
            Code::AlreadyAdded => {
                c"this user already added an action with this type and value to the message"
            }
            Code::RateLimited => c"the server is rate limiting requests",
            Code::ServerError => c"the server failed to process the request",
            Code::HttpError => c"the server returned an unexpected HTTP status",
            Code::MalformedResponse => c"the server's reply is not the expected JSON",
            Code::Internal => {
                c"internal error in pubnub-actions (a panic was caught); please report it"
            }
        }
    }

    /// Returns the code with this number, or `None` for a number that is not a code.
    pub fn from_u32(value: u32) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| *code as u32 == value)
    }

    /// Reports whether this code rejected a call because of an argument.
    pub fn is_invalid_argument(self) -> bool {
        (1000..2000).contains(&(self as u32))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.message())
    }
}

impl std::error::Error for Code {}

/// Views a static C string literal as `&str`; every literal in this module is valid UTF-8.
fn static_str(text: &'static CStr) -> &'static str {
    text.to_str().unwrap_or("")
}

/// Status category, with the names and numbers of the PubNub Python SDK's
/// `PNStatusCategory` (pubnub 10.x, `pubnub/enums.py`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// `PNUnknownCategory`: errors with no more specific category (for example HTTP 207, 409, 429, 5xx).
    Unknown = 1,
    /// `PNAcknowledgmentCategory`: the request succeeded.
    Acknowledgment = 2,
    /// `PNAccessDeniedCategory`: HTTP 403.
    AccessDenied = 3,
    /// `PNTimeoutCategory`.
    Timeout = 4,
    /// `PNNetworkIssuesCategory`.
    NetworkIssues = 5,
    /// `PNConnectedCategory` (subscribe only).
    Connected = 6,
    /// `PNReconnectedCategory` (subscribe only).
    Reconnected = 7,
    /// `PNDisconnectedCategory` (subscribe only).
    Disconnected = 8,
    /// `PNUnexpectedDisconnectCategory`: the connection failed or broke, as the Python SDK reports it.
    UnexpectedDisconnect = 9,
    /// `PNCancelledCategory`.
    Cancelled = 10,
    /// `PNBadRequestCategory`: HTTP 400.
    BadRequest = 11,
    /// `PNMalformedFilterExpressionCategory` (subscribe only).
    MalformedFilterExpression = 12,
    /// `PNMalformedResponseCategory`: a reply that is not the expected JSON.
    MalformedResponse = 13,
    /// `PNDecryptionErrorCategory`.
    DecryptionError = 14,
    /// `PNTLSConnectionFailedCategory`.
    TlsConnectionFailed = 15,
    /// `PNTLSUntrustedCertificateCategory`.
    TlsUntrustedCertificate = 16,
    /// `PNInternalExceptionCategory`.
    InternalException = 17,
    /// `PNSubscriptionChangedCategory` (subscribe only).
    SubscriptionChanged = 18,
    /// `PNConnectionErrorCategory`.
    ConnectionError = 19,
    /// `PNSerializationErrorCategory`.
    SerializationError = 20,
}

impl Category {
    /// Returns the Python SDK's name for this category, such as `PNAccessDeniedCategory`.
    pub fn name(self) -> &'static str {
        static_str(self.c_name())
    }

    /// Returns the name as a NUL-terminated string, for the C ABI.
    pub fn c_name(self) -> &'static CStr {
        match self {
            Category::Unknown => c"PNUnknownCategory",
            Category::Acknowledgment => c"PNAcknowledgmentCategory",
            Category::AccessDenied => c"PNAccessDeniedCategory",
            Category::Timeout => c"PNTimeoutCategory",
            Category::NetworkIssues => c"PNNetworkIssuesCategory",
            Category::Connected => c"PNConnectedCategory",
            Category::Reconnected => c"PNReconnectedCategory",
            Category::Disconnected => c"PNDisconnectedCategory",
            Category::UnexpectedDisconnect => c"PNUnexpectedDisconnectCategory",
            Category::Cancelled => c"PNCancelledCategory",
            Category::BadRequest => c"PNBadRequestCategory",
            Category::MalformedFilterExpression => c"PNMalformedFilterExpressionCategory",
            Category::MalformedResponse => c"PNMalformedResponseCategory",
            Category::DecryptionError => c"PNDecryptionErrorCategory",
            Category::TlsConnectionFailed => c"PNTLSConnectionFailedCategory",
            Category::TlsUntrustedCertificate => c"PNTLSUntrustedCertificateCategory",
            Category::InternalException => c"PNInternalExceptionCategory",
            Category::SubscriptionChanged => c"PNSubscriptionChangedCategory",
            Category::ConnectionError => c"PNConnectionErrorCategory",
            Category::SerializationError => c"PNSerializationErrorCategory",
        }
    }

    /// Returns the category with this number, or `None`.
    pub fn from_u32(value: u32) -> Option<Category> {
        const ALL: [Category; 20] = [
            Category::Unknown,
            Category::Acknowledgment,
            Category::AccessDenied,
            Category::Timeout,
            Category::NetworkIssues,
            Category::Connected,
            Category::Reconnected,
            Category::Disconnected,
            Category::UnexpectedDisconnect,
            Category::Cancelled,
            Category::BadRequest,
            Category::MalformedFilterExpression,
            Category::MalformedResponse,
            Category::DecryptionError,
            Category::TlsConnectionFailed,
            Category::TlsUntrustedCertificate,
            Category::InternalException,
            Category::SubscriptionChanged,
            Category::ConnectionError,
            Category::SerializationError,
        ];
        ALL.iter()
            .copied()
            .find(|category| *category as u32 == value)
    }

    /// Returns the category the PubNub Python SDK reports for this code.
    pub fn for_code(code: Code) -> Category {
        match code {
            Code::Ok => Category::Acknowledgment,
            Code::Cancelled => Category::Cancelled,
            Code::Timeout => Category::Timeout,
            Code::ConnectionFailed => Category::UnexpectedDisconnect,
            Code::TlsFailed => Category::TlsConnectionFailed,
            Code::TlsCertificateUntrusted => Category::TlsUntrustedCertificate,
            Code::BadRequest => Category::BadRequest,
            Code::AccessDenied => Category::AccessDenied,
            Code::MalformedResponse => Category::MalformedResponse,
            Code::Internal => Category::InternalException,
            code if code.is_invalid_argument() => Category::BadRequest,
            _ => Category::Unknown,
        }
    }
}

/// Operation of a request, with the Python SDK's `PNOperationType` numbers
/// (pubnub 10.x, `pubnub/enums.py`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `PNPublishOperation`.
    Publish = 3,
    /// `PNAddMessageAction`.
    AddMessageAction = 42,
    /// `PNGetMessageActions`.
    GetMessageActions = 43,
    /// `PNDeleteMessageAction`.
    RemoveMessageAction = 44,
}

impl Operation {
    /// Returns the Python SDK's name for this operation, such as `PNAddMessageAction`.
    pub fn name(self) -> &'static str {
        static_str(self.c_name())
    }

    /// Returns the name as a NUL-terminated string, for the C ABI.
    pub fn c_name(self) -> &'static CStr {
        match self {
            Operation::Publish => c"PNPublishOperation",
            Operation::AddMessageAction => c"PNAddMessageAction",
            Operation::GetMessageActions => c"PNGetMessageActions",
            Operation::RemoveMessageAction => c"PNDeleteMessageAction",
        }
    }

    /// Returns the operation with this number, or `None`.
    pub fn from_u32(value: u32) -> Option<Operation> {
        [
            Operation::Publish,
            Operation::AddMessageAction,
            Operation::GetMessageActions,
            Operation::RemoveMessageAction,
        ]
        .into_iter()
        .find(|operation| *operation as u32 == value)
    }
}

/// Outcome of a finished request, in the shape of the PubNub SDKs' status object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// [`Code::Ok`] on success, otherwise what went wrong.
    pub code: Code,
    /// The Python SDK's category for `code`.
    pub category: Category,
    /// The operation of the request.
    pub operation: Operation,
    /// HTTP status of the reply, or 0 when no reply arrived.
    pub http_status: u16,
    /// Human-readable description: the code's message, with the server's message
    /// or the transport error when there is one.
    pub message: String,
    /// The `error.message` (or `message`, `error_message`) string of the server's reply, when it has one.
    pub server_message: Option<String>,
    /// The `error.details` array of the server's reply as JSON text, when it has one.
    pub server_details: Option<String>,
    /// Seconds from the server's `Retry-After` header, when it sent one.
    pub retry_after_seconds: Option<u32>,
    /// Host (and port) the request went to.
    pub origin: String,
    /// Whether the request used TLS.
    pub tls: bool,
    /// User id the request was sent with (the `uuid` query parameter).
    pub user_id: String,
    /// Channel of the request.
    pub channel: String,
    /// Id of the asynchronous request, or 0 for a synchronous call.
    pub request_id: u64,
}

impl Status {
    /// Reports whether the request failed (any code other than [`Code::Ok`]).
    ///
    /// An HTTP 207 reply is an error ([`Code::EventNotPublished`]) even though the
    /// change was stored, as in the PubNub Python SDK.
    pub fn is_error(&self) -> bool {
        self.code != Code::Ok
    }
}

impl fmt::Display for Status {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{} on channel {:?}: {} (code {}, {}, HTTP {})",
            self.operation.name(),
            self.channel,
            self.message,
            self.code as u32,
            self.category.name(),
            self.http_status
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_numbers() {
        for code in Code::ALL {
            assert_eq!(Code::from_u32(*code as u32), Some(*code));
        }
        assert_eq!(Code::from_u32(1), None);
    }

    #[test]
    fn invalid_argument_messages_name_the_argument() {
        assert_eq!(
            Code::ChannelNull.message(),
            "invalid argument: channel is NULL"
        );
        assert_eq!(Code::TypeEmpty.message(), "invalid argument: type is empty");
        assert_eq!(
            Code::ValueNotUtf8.message(),
            "invalid argument: value is not valid UTF-8"
        );
        for code in Code::ALL.iter().filter(|code| code.is_invalid_argument()) {
            assert!(code.message().starts_with("invalid argument: "), "{code:?}");
        }
    }

    #[test]
    fn categories_follow_python_sdk() {
        assert_eq!(Category::for_code(Code::Ok), Category::Acknowledgment);
        assert_eq!(
            Category::for_code(Code::AccessDenied),
            Category::AccessDenied
        );
        assert_eq!(Category::for_code(Code::BadRequest), Category::BadRequest);
        assert_eq!(Category::for_code(Code::AlreadyAdded), Category::Unknown);
        assert_eq!(
            Category::for_code(Code::EventNotPublished),
            Category::Unknown
        );
        assert_eq!(
            Category::for_code(Code::ConnectionFailed),
            Category::UnexpectedDisconnect
        );
        assert_eq!(Category::AccessDenied as u32, 3);
        assert_eq!(Category::MalformedResponse as u32, 13);
        assert_eq!(Category::from_u32(10), Some(Category::Cancelled));
        assert_eq!(Category::from_u32(21), None);
    }

    #[test]
    fn operations_follow_python_sdk() {
        assert_eq!(Operation::AddMessageAction as u32, 42);
        assert_eq!(Operation::GetMessageActions as u32, 43);
        assert_eq!(Operation::RemoveMessageAction as u32, 44);
        assert_eq!(Operation::from_u32(43), Some(Operation::GetMessageActions));
        assert_eq!(
            Operation::RemoveMessageAction.name(),
            "PNDeleteMessageAction"
        );
    }
}
