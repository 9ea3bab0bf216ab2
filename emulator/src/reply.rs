//! Replies: the status and body a route returns, the headers every reply
//! carries, and the error bodies shared by several routes.
//!
//! [`Reply::into_response`] is the one place where a reply becomes HTTP, so
//! changes to how every reply is written (headers, compression) go there.

use std::cell::RefCell;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use flate2::{Compress, Compression, FlushCompress, Status};
use hyper::body::{Body, Frame, SizeHint};
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::{Response, StatusCode, Version};
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

/// Number of headers reserved in each response: the 6 common headers,
/// `Content-Type`, `Content-Encoding`, `Vary`, `Connection`, and room for
/// those a route or fault adds.
const RESPONSE_HEADER_CAPACITY: usize = 16;

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
    /// The client accepts gzip-compressed bodies (`Accept-Encoding: gzip`).
    pub gzip: bool,
    /// Send only the first half of the body after a `Content-Length` for the
    /// whole body, then close the connection (the `truncate` fault).
    pub truncate: bool,
}

impl ReplyOptions {
    /// Reads the options from the request's headers and HTTP version.
    pub fn from_request(headers: &HeaderMap, version: Version) -> ReplyOptions {
        ReplyOptions {
            close: wants_close(headers, version),
            gzip: accepts_gzip(headers),
            truncate: false,
        }
    }
}

/// Returns the comma-separated items of every `name` header, trimmed.
fn header_items<'a>(headers: &'a HeaderMap, name: &HeaderName) -> impl Iterator<Item = &'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
}

/// Tells whether the client asked to close the connection after this request:
/// `Connection: close` on HTTP/1.1, no `Connection: keep-alive` on HTTP/1.0.
fn wants_close(headers: &HeaderMap, version: Version) -> bool {
    let mut items = header_items(headers, &header::CONNECTION);
    if version == Version::HTTP_10 {
        !items.any(|item| item.eq_ignore_ascii_case("keep-alive"))
    } else {
        items.any(|item| item.eq_ignore_ascii_case("close"))
    }
}

/// Tells whether `Accept-Encoding` allows gzip: a `gzip` or `*` coding whose
/// `q` weight is not 0, unless `gzip;q=0` excludes it explicitly.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let mut gzip_weight = None;
    let mut any_weight = None;
    for item in header_items(headers, &header::ACCEPT_ENCODING) {
        let mut parts = item.split(';').map(str::trim);
        let coding = parts.next().unwrap_or("");
        let weight = parts
            .filter_map(|parameter| parameter.strip_prefix("q="))
            .filter_map(|value| value.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        if coding.eq_ignore_ascii_case("gzip") {
            gzip_weight = Some(weight);
        } else if coding == "*" {
            any_weight = Some(weight);
        }
    }
    gzip_weight
        .or(any_weight)
        .is_some_and(|weight| weight > 0.0)
}

/// gzip member header (RFC 1952): magic bytes, method deflate, no flags, no
/// modification time, "fastest" extra flags, unknown operating system.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 255];

thread_local! {
    /// Deflate state reused for every reply on this thread. Creating one
    /// allocates and clears several hundred KiB, which costs more than
    /// compressing a typical reply.
    static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), false));
}

/// Compresses `body` into a gzip member, or returns `None` if deflate fails.
fn gzip(body: &[u8]) -> Option<Bytes> {
    DEFLATE.with_borrow_mut(|deflate| {
        deflate.reset();
        let mut out = Vec::with_capacity(body.len() + GZIP_HEADER.len() + 64);
        out.extend_from_slice(&GZIP_HEADER);
        loop {
            let consumed = usize::try_from(deflate.total_in()).unwrap_or(usize::MAX);
            let input = body.get(consumed..).unwrap_or_default();
            match deflate.compress_vec(input, &mut out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => break,
                Ok(Status::Ok | Status::BufError) => out.reserve(out.capacity().max(64)),
                Err(error) => {
                    log::error!(
                        "gzip compression of a {}-byte reply failed: {error}",
                        body.len()
                    );
                    return None;
                }
            }
        }
        // The trailer contains the CRC-32 and the length modulo 2^32, little-endian.
        out.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        Some(Bytes::from(out))
    })
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

    /// Converts the reply into an HTTP response with the service's common
    /// headers, gzip-compressing the body when the client accepts it.
    pub fn into_response(self, options: ReplyOptions) -> Response<ReplyBody> {
        let compressed = if options.gzip && !self.body.is_empty() {
            gzip(&self.body)
        } else {
            None
        };
        let is_compressed = compressed.is_some();
        let body = compressed.unwrap_or(self.body);
        let body = if options.truncate {
            ReplyBody::truncated(body)
        } else {
            ReplyBody::full(body)
        };
        let mut response = Response::new(body);
        *response.status_mut() = self.status;

        let headers = response.headers_mut();
        // Room for every header below, so the map does not grow while filling.
        headers.reserve(RESPONSE_HEADER_CAPACITY);
        if is_compressed {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
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

/// Body of a response: the whole reply body, or the first part of it for the
/// `truncate` fault.
#[derive(Debug)]
pub struct ReplyBody {
    /// Bytes not yet handed to hyper.
    data: Option<Bytes>,
    /// Length announced in `Content-Length`.
    declared_len: u64,
    ending: Ending,
}

/// Step of a body after its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// End normally.
    Complete,
    /// Return `Pending` once, so hyper writes out what it has buffered, then fail.
    FlushThenFail,
    /// Fail, so hyper closes the connection before the announced length.
    Fail,
    /// The error was returned.
    Failed,
}

impl ReplyBody {
    fn full(body: Bytes) -> ReplyBody {
        ReplyBody {
            declared_len: body.len() as u64,
            data: Some(body),
            ending: Ending::Complete,
        }
    }

    /// Announces the whole length and sends the first half, rounded down. An
    /// empty body is announced as 1 byte so the reply is still short.
    fn truncated(mut body: Bytes) -> ReplyBody {
        let declared_len = body.len().max(1) as u64;
        body.truncate(body.len() / 2);
        ReplyBody {
            declared_len,
            data: Some(body),
            ending: Ending::FlushThenFail,
        }
    }
}

/// Error that ends a truncated body, which makes hyper close the connection.
#[derive(Debug)]
pub struct TruncatedBody;

impl fmt::Display for TruncatedBody {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("reply body truncated by a fault")
    }
}

impl std::error::Error for TruncatedBody {}

impl Body for ReplyBody {
    type Data = Bytes;
    type Error = TruncatedBody;

    fn poll_frame(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, TruncatedBody>>> {
        let this = self.get_mut();
        if let Some(data) = this.data.take()
            && !data.is_empty()
        {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        match this.ending {
            Ending::Complete | Ending::Failed => Poll::Ready(None),
            Ending::FlushThenFail => {
                // hyper flushes its write buffer while the body is pending;
                // failing at once would drop the buffered status and headers.
                this.ending = Ending::Fail;
                context.waker().wake_by_ref();
                Poll::Pending
            }
            Ending::Fail => {
                this.ending = Ending::Failed;
                Poll::Ready(Some(Err(TruncatedBody)))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.ending == Ending::Complete && self.data.as_ref().is_none_or(Bytes::is_empty)
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.declared_len)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn accept_encoding(value: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        accepts_gzip(&headers)
    }

    #[test]
    fn gzip_acceptance_follows_weights() {
        assert!(accept_encoding("gzip"));
        assert!(accept_encoding("gzip, deflate"));
        assert!(accept_encoding("deflate, GZIP;q=0.5"));
        assert!(accept_encoding("*"));
        assert!(!accept_encoding("gzip;q=0"));
        assert!(!accept_encoding("gzip; q=0.0, *"));
        assert!(!accept_encoding("deflate"));
        assert!(!accept_encoding("identity"));
        assert!(!accept_encoding("*;q=0"));
        assert!(!accept_encoding(""));
    }

    #[test]
    fn gzip_round_trips() {
        use std::io::Read;

        for body in [&b"[17000000000000000]"[..], &[b'x'; 100_000][..], b"a"] {
            for _ in 0..2 {
                let compressed = gzip(body).unwrap();
                let mut decoded = Vec::new();
                flate2::read::GzDecoder::new(&compressed[..])
                    .read_to_end(&mut decoded)
                    .unwrap();
                assert_eq!(decoded, body);
            }
        }
    }

    #[test]
    fn no_header_means_no_gzip() {
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn close_follows_version() {
        let mut headers = HeaderMap::new();
        assert!(!wants_close(&headers, Version::HTTP_11));
        assert!(wants_close(&headers, Version::HTTP_10));
        headers.insert(header::CONNECTION, HeaderValue::from_static("Keep-Alive"));
        assert!(!wants_close(&headers, Version::HTTP_10));
        headers.insert(
            header::CONNECTION,
            HeaderValue::from_static("upgrade, close"),
        );
        assert!(wants_close(&headers, Version::HTTP_11));
    }
}
