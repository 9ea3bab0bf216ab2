//! The access log: one info line per request with the peer, method, path and
//! query, status and duration in milliseconds, such as
//! `127.0.0.1:40112 GET /v1/message-actions/sub/channel/ch?uuid=u&auth=REDACTED -> 200 in 0.412 ms`.
//!
//! The values of `auth` and `signature` are replaced by `REDACTED`, because an
//! auth key grants access and a signature may be replayed within its
//! timestamp window. Replies with status 400 or above add their body, so the
//! line shows why the request failed.

use std::net::SocketAddr;
use std::time::Instant;

use hyper::{Method, StatusCode};

/// Maximum length of the logged path and of the logged query, in characters.
/// Publish paths and `meta` parameters carry whole messages.
const LOGGED_PART_CHARS: usize = 160;

/// Maximum length of a logged error body, in characters; longer than the
/// emulator's own error bodies, so only bodies of `reply` faults are cut.
const LOGGED_BODY_CHARS: usize = 500;

/// Query parameters whose values are never logged.
const SECRET_PARAMETERS: [&str; 2] = ["auth", "signature"];

/// Text written in place of a secret parameter's value.
const REDACTED: &str = "REDACTED";

/// The request a log line is about.
pub struct Target<'a> {
    pub peer: SocketAddr,
    pub method: &'a Method,
    /// Path as received, still percent-encoded.
    pub raw_path: &'a str,
    /// Query as received, without the `?`.
    pub raw_query: &'a str,
}

/// End of a request: a reply, a truncated reply or a closed connection.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// A whole reply with this status and body was sent.
    Reply(StatusCode, &'a [u8]),
    /// A reply with this status and a truncated body was sent (a fault).
    Truncated(StatusCode, &'a [u8]),
    /// The connection was closed without a reply (a fault).
    Closed,
}

/// Returns the first `max_chars` characters of `text`, with `...` when more
/// were cut.
fn shortened(text: &str, max_chars: usize) -> String {
    let mut prefix: String = text.chars().take(max_chars).collect();
    if prefix.len() < text.len() {
        prefix.push_str("...");
    }
    prefix
}

/// Returns the path as logged: shortened to [`LOGGED_PART_CHARS`] characters.
pub fn loggable_path(raw_path: &str) -> String {
    shortened(raw_path, LOGGED_PART_CHARS)
}

/// Returns the query with the values of `auth` and `signature` replaced by
/// `REDACTED`, shortened to [`LOGGED_PART_CHARS`] characters.
pub fn loggable_query(raw_query: &str) -> String {
    let redacted: Vec<String> = raw_query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if SECRET_PARAMETERS.contains(&name) => format!("{name}={REDACTED}"),
            _ => pair.to_owned(),
        })
        .collect();
    shortened(&redacted.join("&"), LOGGED_PART_CHARS)
}

/// Returns `": BODY"`, shortened to [`LOGGED_BODY_CHARS`] characters, for a
/// status of 400 or above, else nothing.
fn error_body(status: StatusCode, body: &[u8]) -> String {
    if status.as_u16() < 400 {
        return String::new();
    }
    let text = String::from_utf8_lossy(body);
    format!(": {}", shortened(&text, LOGGED_BODY_CHARS))
}

/// Logs the line for one request at info level.
pub fn request(target: &Target<'_>, outcome: Outcome, started: Instant) {
    if !log::log_enabled!(log::Level::Info) {
        return;
    }
    let path = loggable_path(target.raw_path);
    let query = if target.raw_query.is_empty() {
        String::new()
    } else {
        format!("?{}", loggable_query(target.raw_query))
    };
    let (result, body) = match outcome {
        Outcome::Reply(status, body) => (status.as_u16().to_string(), error_body(status, body)),
        Outcome::Truncated(status, body) => (
            format!("{} (body truncated)", status.as_u16()),
            error_body(status, body),
        ),
        Outcome::Closed => (
            "connection closed without a reply".to_owned(),
            String::new(),
        ),
    };
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    log::info!(
        "{} {} {path}{query} -> {result} in {millis:.3} ms{body}",
        target.peer,
        target.method
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(
            loggable_query("uuid=u&auth=AUTH-TEST&timestamp=1&signature=v2.abc&l_msga=1"),
            "uuid=u&auth=REDACTED&timestamp=1&signature=REDACTED&l_msga=1"
        );
        assert_eq!(loggable_query("auth="), "auth=REDACTED");
        assert_eq!(loggable_query("authority=x&auth"), "authority=x&auth");
    }

    #[test]
    fn error_bodies_are_added() {
        let body = br#"{"status": 409}"#;
        assert_eq!(
            error_body(StatusCode::CONFLICT, body),
            r#": {"status": 409}"#
        );
        assert_eq!(error_body(StatusCode::OK, b"[1]"), "");
    }

    #[test]
    fn long_parts_are_shortened() {
        let long = "a".repeat(200);
        let logged = loggable_path(&format!("/{long}"));
        assert_eq!(logged.chars().count(), LOGGED_PART_CHARS + 3);
        assert!(logged.ends_with("..."));
        assert_eq!(loggable_path("/time/0"), "/time/0");
    }
}
