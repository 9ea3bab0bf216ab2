//! An HTTP request as the routes see it: decoded path segments and query
//! parameters, with the raw path and query kept for signature checks.

use bytes::Bytes;
use hyper::{HeaderMap, Method};
use percent_encoding::percent_decode_str;

/// One received request with its whole body.
#[derive(Debug)]
#[expect(
    dead_code,
    reason = "the raw query and headers are read by signature checks and compression"
)]
pub struct Request {
    pub method: Method,
    /// Path exactly as received, still percent-encoded and without the query.
    pub raw_path: String,
    /// Path segments after the leading `/`, each percent-decoded on its own, so
    /// `%2F` inside a channel name stays inside that segment.
    pub segments: Vec<String>,
    /// Query string exactly as received, without the `?`.
    pub raw_query: String,
    /// Query parameters in received order, percent-decoded. `+` is kept as a
    /// literal plus sign because PubNub clients encode spaces as `%20`.
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// Whether an add or remove publishes its subscribe event. False when the
    /// `event_not_published` fault applies, which also makes the reply 207.
    pub publish_events: bool,
}

impl Request {
    /// Builds a request from its parts; `raw_query` is the text after `?`.
    pub fn new(
        method: Method,
        raw_path: &str,
        raw_query: &str,
        headers: HeaderMap,
        body: Bytes,
    ) -> Request {
        let segments = raw_path
            .strip_prefix('/')
            .unwrap_or(raw_path)
            .split('/')
            .map(decode_component)
            .collect();
        Request {
            method,
            raw_path: raw_path.to_owned(),
            segments,
            raw_query: raw_query.to_owned(),
            query: parse_query(raw_query),
            headers,
            body,
            publish_events: true,
        }
    }

    /// Returns the decoded value of the first query parameter named `name`.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Splits a raw query string into decoded `(name, value)` pairs; a parameter
/// without `=` gets an empty value.
pub fn parse_query(raw_query: &str) -> Vec<(String, String)> {
    raw_query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (decode_component(name), decode_component(value)),
            None => (decode_component(pair), String::new()),
        })
        .collect()
}

/// Percent-decodes one path segment or query component. Bytes that do not form
/// UTF-8 after decoding become U+FFFD.
pub fn decode_component(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str, query: &str) -> Request {
        Request::new(Method::GET, path, query, HeaderMap::new(), Bytes::new())
    }

    #[test]
    fn segments_are_decoded_separately() {
        let parsed = request("/v1/message-actions/sub/channel/a%2Fb%20c", "");
        assert_eq!(
            parsed.segments,
            ["v1", "message-actions", "sub", "channel", "a/b c"]
        );
        assert_eq!(parsed.raw_path, "/v1/message-actions/sub/channel/a%2Fb%20c");
    }

    #[test]
    fn query_values_are_decoded() {
        let parsed = request(
            "/time/0",
            "uuid=user%201&pnsdk=PubNub-Rust%2F0.1.0&flag&a+b=c",
        );
        assert_eq!(parsed.query_value("uuid"), Some("user 1"));
        assert_eq!(parsed.query_value("pnsdk"), Some("PubNub-Rust/0.1.0"));
        assert_eq!(parsed.query_value("flag"), Some(""));
        assert_eq!(parsed.query_value("a+b"), Some("c"));
        assert_eq!(parsed.query_value("missing"), None);
    }

    #[test]
    fn first_duplicate_wins() {
        let parsed = request("/time/0", "limit=5&limit=7");
        assert_eq!(parsed.query_value("limit"), Some("5"));
    }
}
