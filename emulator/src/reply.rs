//! Replies: the status and body a route returns, the headers every reply
//! carries, and the error bodies shared by several routes.
//!
//! [`Reply::into_response`] is the one place where a reply becomes HTTP, so
//! changes to how every reply is written (headers, compression) go there.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::{Response, StatusCode};
use serde::Serialize;

use crate::json::{self, Layout};

/// `Content-Type` of every reply of the PubNub service, charset value quoted.
pub const CONTENT_TYPE: &str = "text/javascript; charset=\"UTF-8\"";

/// Headers the PubNub service sends on every actions reply, besides
/// `Content-Type` and `Connection`.
const COMMON_HEADERS: [(HeaderName, &str); 6] = [
    (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
    (
        header::ACCESS_CONTROL_ALLOW_METHODS,
        "GET, POST, DELETE, OPTIONS",
    ),
    (header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"),
    (header::CACHE_CONTROL, "no-cache"),
    (header::ACCEPT_RANGES, "bytes"),
    (header::AGE, "0"),
];

/// Status, body and extra headers produced by a route.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Bytes,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

/// Facts about the request that change how its reply is written.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReplyOptions {
    /// The client asked to close the connection after this exchange.
    pub close: bool,
}

impl Reply {
    /// Creates a reply whose body is `value` as JSON in `layout`.
    pub fn json<T: Serialize + ?Sized>(status: StatusCode, value: &T, layout: Layout) -> Reply {
        Reply {
            status,
            body: Bytes::from(json::to_vec(value, layout)),
            headers: Vec::new(),
        }
    }

    /// Creates a reply whose body is `text`, already serialized.
    pub fn text(status: StatusCode, text: String) -> Reply {
        Reply {
            status,
            body: Bytes::from(text),
            headers: Vec::new(),
        }
    }

    /// Creates a reply with an empty body.
    pub fn empty(status: StatusCode) -> Reply {
        Reply {
            status,
            body: Bytes::new(),
            headers: Vec::new(),
        }
    }

    /// Converts the reply into an HTTP response with the service's common headers.
    pub fn into_response(self, options: ReplyOptions) -> Response<Full<Bytes>> {
        let mut response = Response::new(Full::new(self.body));
        *response.status_mut() = self.status;

        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        for (name, value) in COMMON_HEADERS {
            headers.insert(name, HeaderValue::from_static(value));
        }
        // hyper closes the connection when the request asked for it; repeating
        // "keep-alive" then would contradict it.
        if !options.close {
            headers.insert(header::CONNECTION, HeaderValue::from_static("keep-alive"));
        }
        for (name, value) in self.headers {
            headers.insert(name, value);
        }

        response
    }
}

/// One entry of the `details` list in an actions error body.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorDetail {
    pub message: &'static str,
    pub location: String,
    #[serde(rename = "locationType")]
    pub location_type: &'static str,
}

impl ErrorDetail {
    /// Detail for a missing field at `location` (`locationType` "body", "query" or "path").
    pub fn missing(location: &str, location_type: &'static str) -> ErrorDetail {
        ErrorDetail {
            message: "Missing field",
            location: location.to_owned(),
            location_type,
        }
    }

    /// Detail for a field at `location` whose value cannot be used.
    pub fn invalid(location: &str, location_type: &'static str) -> ErrorDetail {
        ErrorDetail {
            message: "Invalid value",
            location: location.to_owned(),
            location_type,
        }
    }
}

#[derive(Serialize)]
struct ActionsErrorBody<'a> {
    status: u16,
    error: ActionsError<'a>,
}

#[derive(Serialize)]
struct ActionsError<'a> {
    source: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    details: &'a [ErrorDetail],
}

/// Error body of the actions service:
/// `{"status": 400, "error": {"source": "actions", "message": "Invalid Subkey"}}`.
pub fn actions_error(status: StatusCode, message: &str) -> Reply {
    actions_error_with_details(status, message, &[])
}

/// Actions error body with a `details` list, as sent for invalid add payloads.
pub fn actions_error_with_details(
    status: StatusCode,
    message: &str,
    details: &[ErrorDetail],
) -> Reply {
    let body = ActionsErrorBody {
        status: status.as_u16(),
        error: ActionsError {
            source: "actions",
            message,
            details,
        },
    };
    Reply::json(status, &body, Layout::Spaced)
}

/// Message of the 400 reply to an add or query whose input cannot be used.
pub const INVALID_INPUT: &str = "Request payload contained invalid input.";

/// Error body of publish: `[0,"Invalid Key","14707240653092162"]`.
pub fn publish_error(status: StatusCode, message: &str, timetoken: u64) -> Reply {
    let timetoken = timetoken.to_string();
    Reply::json(status, &(0, message, timetoken), Layout::Compact)
}

#[derive(Serialize)]
struct RoutingErrorBody<'a> {
    status: u16,
    error: bool,
    message: &'a str,
}

/// Body for requests that match no route of the emulator; the PubNub service
/// has no documented body for this case.
pub fn routing_error(status: StatusCode, message: &str) -> Reply {
    let body = RoutingErrorBody {
        status: status.as_u16(),
        error: true,
        message,
    };
    Reply::json(status, &body, Layout::Spaced)
}

#[derive(Serialize)]
struct BalancerErrorBody {
    status: u16,
    error: bool,
    service: &'static str,
    message: &'static str,
}

/// 413 reply for a request body over the size limit, in the PubNub balancer's
/// shape: `{"status": 413, "error": true, "service": "Balancer", "message": "Request Entity Too Large."}`.
pub fn body_too_large() -> Reply {
    let body = BalancerErrorBody {
        status: 413,
        error: true,
        service: "Balancer",
        message: "Request Entity Too Large.",
    };
    Reply::json(StatusCode::PAYLOAD_TOO_LARGE, &body, Layout::Spaced)
}

#[derive(Serialize)]
struct HistoryErrorBody<'a> {
    status: u16,
    error: bool,
    error_message: &'a str,
}

/// Error body of the history service:
/// `{"status": 400, "error": true, "error_message": "..."}`.
pub fn history_error(status: StatusCode, message: &str) -> Reply {
    let body = HistoryErrorBody {
        status: status.as_u16(),
        error: true,
        error_message: message,
    };
    Reply::json(status, &body, Layout::Spaced)
}

#[derive(Serialize)]
struct ServiceErrorBody<'a> {
    message: &'a str,
    error: bool,
    service: &'a str,
    status: u16,
}

/// Compact error body naming the service, as Access Manager and subscribe use:
/// `{"message":"...","error":true,"service":"Access Manager","status":400}`.
pub fn service_error(status: StatusCode, service: &str, message: &str) -> Reply {
    let body = ServiceErrorBody {
        message,
        error: true,
        service,
        status: status.as_u16(),
    };
    Reply::json(status, &body, Layout::Compact)
}
