//! One module per operation: each builds its request and parses its reply.
//! This module contains what they share: the request shape, the common query
//! parameters and signing, and the reading of status codes and error bodies.

pub mod add;
pub mod get;
pub mod publish;
pub mod remove;

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::config::Config;
use crate::encode::{percent_encode, percent_encode_into};
use crate::error::{Category, Code, Operation, Status};
use crate::model::Timetoken;
use crate::signature::sign_v2;

/// Value of the `pnsdk` query parameter that names this library to the service.
pub const PNSDK: &str = concat!("pubnub-actions/", env!("CARGO_PKG_VERSION"));

/// HTTP method of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// DELETE.
    Delete,
}

impl Method {
    /// Returns the upper-case method name, as it appears on the wire and in signatures.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// A request ready to send, before the common query parameters are added.
#[derive(Clone, Debug)]
pub struct Request {
    /// Operation, for the status.
    pub operation: Operation,
    /// Channel, for the status.
    pub channel: String,
    /// HTTP method.
    pub method: Method,
    /// Path, with every segment already percent-encoded.
    pub path: String,
    /// Operation-specific query parameters, values not yet encoded.
    pub query: Vec<(&'static str, String)>,
    /// JSON body for POST.
    pub body: Option<String>,
}

/// A request with its final URL path and query, signed when the client has a secret key.
#[derive(Clone, Debug)]
pub struct PreparedRequest {
    /// Path and query, to append to the origin.
    pub path_and_query: String,
    /// JSON body for POST.
    pub body: Option<String>,
}

/// Appends `/segment` to `path`, percent-encoded.
pub(crate) fn push_segment(path: &mut String, segment: &str) {
    path.push('/');
    percent_encode_into(segment, path);
}

/// Adds `uuid`, `pnsdk`, `auth` and, with a secret key, `timestamp` and
/// `signature`. The query is sorted, so it is also the canonical query that the
/// signature covers.
pub fn prepare(config: &Config, request: &Request) -> PreparedRequest {
    prepare_at(config, request, unix_seconds_now())
}

fn prepare_at(config: &Config, request: &Request, unix_seconds: u64) -> PreparedRequest {
    let mut query: Vec<(&str, String)> = request.query.clone();
    query.push(("uuid", config.user_id.clone()));
    query.push(("pnsdk", PNSDK.to_owned()));
    if let Some(auth_key) = &config.auth_key {
        query.push(("auth", auth_key.clone()));
    }
    if config.secret_key.is_some() {
        query.push(("timestamp", unix_seconds.to_string()));
    }
    query.sort_by(|left, right| left.0.cmp(right.0));

    let mut encoded_query = String::new();
    for (index, (key, value)) in query.iter().enumerate() {
        if index > 0 {
            encoded_query.push('&');
        }
        encoded_query.push_str(key);
        encoded_query.push('=');
        percent_encode_into(value, &mut encoded_query);
    }

    if let (Some(secret_key), Some(publish_key)) = (&config.secret_key, &config.publish_key) {
        let signature = sign_v2(
            secret_key,
            publish_key,
            request.method.as_str(),
            &request.path,
            &encoded_query,
            request.body.as_deref().unwrap_or(""),
        );
        encoded_query.push_str("&signature=");
        encoded_query.push_str(&percent_encode(&signature));
    }

    PreparedRequest {
        path_and_query: format!("{}?{}", request.path, encoded_query),
        body: request.body.clone(),
    }
}

fn unix_seconds_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0)
}

/// A reply as the transport received it.
#[derive(Clone, Debug, Default)]
pub struct Reply {
    /// HTTP status code.
    pub http_status: u16,
    /// The whole body.
    pub body: Vec<u8>,
    /// Seconds from a numeric `Retry-After` header.
    pub retry_after_seconds: Option<u32>,
}

/// Builds statuses for one request: everything but the outcome is known up front.
#[derive(Clone, Debug)]
pub struct StatusContext {
    /// Operation of the request.
    pub operation: Operation,
    /// Channel of the request.
    pub channel: String,
    /// Origin the request goes to.
    pub origin: String,
    /// Whether the request uses TLS.
    pub tls: bool,
    /// User id of the request.
    pub user_id: String,
    /// Request id, or 0 for a synchronous call.
    pub request_id: u64,
}

impl StatusContext {
    /// Creates the context for `request` sent by a client with `config`.
    pub fn new(config: &Config, request: &Request, request_id: u64) -> StatusContext {
        StatusContext {
            operation: request.operation,
            channel: request.channel.clone(),
            origin: config.origin.clone(),
            tls: config.tls,
            user_id: config.user_id.clone(),
            request_id,
        }
    }

    /// Returns a status with `code`, its category and the given message.
    pub fn status(&self, code: Code, http_status: u16, message: String) -> Status {
        Status {
            code,
            category: Category::for_code(code),
            operation: self.operation,
            http_status,
            message,
            server_message: None,
            server_details: None,
            retry_after_seconds: None,
            origin: self.origin.clone(),
            tls: self.tls,
            user_id: self.user_id.clone(),
            channel: self.channel.clone(),
            request_id: self.request_id,
        }
    }

    /// Returns the status of a request that completed successfully.
    pub fn success(&self, http_status: u16) -> Status {
        self.status(Code::Ok, http_status, Code::Ok.message().to_owned())
    }

    /// Returns the status of a reply whose body is not what the operation expects.
    pub fn malformed(&self, reply: &Reply, problem: &str) -> Status {
        let message = format!(
            "{} (HTTP {}): {problem}; the reply starts with {}",
            Code::MalformedResponse.message(),
            reply.http_status,
            body_excerpt(&reply.body)
        );
        self.status(Code::MalformedResponse, reply.http_status, message)
    }
}

/// Returns the first bytes of a body, quoted, for error messages.
fn body_excerpt(body: &[u8]) -> String {
    const MAX_CHARS: usize = 80;
    if body.is_empty() {
        return "nothing (empty body)".to_owned();
    }
    let text = String::from_utf8_lossy(body);
    let excerpt: String = text.chars().take(MAX_CHARS).collect();
    if text.chars().count() > MAX_CHARS {
        format!("{excerpt:?}...")
    } else {
        format!("{excerpt:?}")
    }
}

/// Returns the code for a non-success HTTP status.
fn code_for_http_status(http_status: u16) -> Code {
    match http_status {
        207 => Code::EventNotPublished,
        400 => Code::BadRequest,
        403 => Code::AccessDenied,
        409 => Code::AlreadyAdded,
        429 => Code::RateLimited,
        500..=599 => Code::ServerError,
        _ => Code::HttpError,
    }
}

/// Extracts the error message and details of a reply body, in any of the error shapes
/// the PubNub services use: `{"error": {"message", "details"}}` (actions),
/// `{"error": true, "message"}`, `{"error_message"}` and `[0, "message", ...]`
/// (publish).
fn server_error(body: &Value) -> (Option<String>, Option<String>) {
    let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_owned);
    match body {
        Value::Object(object) => {
            if let Some(Value::Object(error)) = object.get("error") {
                let details = error.get("details").map(Value::to_string);
                return (text(error.get("message")), details);
            }
            let message = text(object.get("message")).or_else(|| text(object.get("error_message")));
            let details = object.get("payload").map(Value::to_string);
            (message.filter(|message| !message.is_empty()), details)
        }
        Value::Array(items) => (text(items.get(1)), None),
        _ => (None, None),
    }
}

/// Reads a reply's body and status code into either the parsed JSON body
/// (HTTP 200–299) or the final error status.
///
/// HTTP 207 is returned as JSON, so that the caller can read the stored data,
/// together with the status to report.
pub fn read_reply(
    context: &StatusContext,
    reply: &Reply,
) -> Result<(Value, Option<Status>), Status> {
    let parsed = serde_json::from_slice::<Value>(&reply.body);
    let is_success = (200..300).contains(&reply.http_status);
    let body = match parsed {
        Ok(body) => body,
        Err(error) => {
            let problem = format!("not JSON ({error})");
            return Err(context.malformed(reply, &problem));
        }
    };
    if is_success && reply.http_status != 207 {
        return Ok((body, None));
    }

    let code = code_for_http_status(reply.http_status);
    let (server_message, server_details) = server_error(&body);
    let message = match &server_message {
        Some(server_message) => format!(
            "{} (HTTP {}): {server_message}",
            code.message(),
            reply.http_status
        ),
        None => format!("{} (HTTP {})", code.message(), reply.http_status),
    };
    let mut status = context.status(code, reply.http_status, message);
    status.server_message = server_message;
    status.server_details = server_details;
    status.retry_after_seconds = reply.retry_after_seconds;
    if reply.http_status == 207 {
        Ok((body, Some(status)))
    } else {
        Err(status)
    }
}

/// Reads a timetoken written as a JSON string of digits or as a JSON integer,
/// never through a floating-point number.
pub(crate) fn parse_timetoken(value: &Value) -> Option<Timetoken> {
    match value {
        Value::String(digits) => {
            let valid = !digits.is_empty()
                && digits.len() <= 20
                && digits.bytes().all(|b| b.is_ascii_digit());
            if valid { digits.parse().ok() } else { None }
        }
        Value::Number(number) => number.as_u64(),
        _ => None,
    }
}

/// Reads one action object, naming the first field that is missing or invalid.
pub(crate) fn parse_action(value: &Value) -> Result<crate::model::MessageAction, String> {
    let object = value.as_object().ok_or("the action is not a JSON object")?;
    let text = |key: &str| -> Result<String, String> {
        object
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("the action's {key:?} field is missing or not a string"))
    };
    let timetoken = |key: &str| -> Result<Timetoken, String> {
        object
            .get(key)
            .and_then(parse_timetoken)
            .ok_or_else(|| format!("the action's {key:?} field is missing or not a timetoken"))
    };
    Ok(crate::model::MessageAction {
        action_type: text("type")?,
        value: text("value")?,
        uuid: text("uuid")?,
        action_timetoken: timetoken("actionTimetoken")?,
        message_timetoken: timetoken("messageTimetoken")?,
    })
}

/// Builders shared by the endpoint modules' unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{Reply, StatusContext};
    use crate::error::Operation;

    /// Returns the context of a plain-HTTP request by `user-1` on `test-channel`.
    pub(crate) fn context(operation: Operation) -> StatusContext {
        StatusContext {
            operation,
            channel: "test-channel".into(),
            origin: "127.0.0.1:9".into(),
            tls: false,
            user_id: "user-1".into(),
            request_id: 0,
        }
    }

    /// Returns a reply with `http_status` and `body`, without a `Retry-After` header.
    pub(crate) fn reply(http_status: u16, body: &str) -> Reply {
        Reply {
            http_status,
            body: body.as_bytes().to_vec(),
            retry_after_seconds: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use test_support::{context, reply};

    #[test]
    fn prepare_adds_common_parameters_sorted() {
        let mut config = Config::new("sub-c-TEST", "user 1", "127.0.0.1:9");
        config.auth_key = Some("my/auth".into());
        let request = Request {
            operation: Operation::GetMessageActions,
            channel: "ch1".into(),
            method: Method::Get,
            path: "/v1/message-actions/sub-c-TEST/channel/ch1".into(),
            query: vec![("limit", "10".into())],
            body: None,
        };
        let prepared = prepare(&config, &request);
        let expected = format!(
            "/v1/message-actions/sub-c-TEST/channel/ch1?auth=my%2Fauth&limit=10&pnsdk={}&uuid=user%201",
            percent_encode(PNSDK)
        );
        assert_eq!(prepared.path_and_query, expected);
    }

    #[test]
    fn prepare_signs_like_vector_d2() {
        let mut config = Config::new("sub-c-TEST", "user-1", "127.0.0.1:9");
        config.publish_key = Some("pub-c-TEST".into());
        config.secret_key = Some("sec-c-TEST".into());
        let request = Request {
            operation: Operation::GetMessageActions,
            channel: "ch1".into(),
            method: Method::Get,
            path: "/v1/message-actions/sub-c-TEST/channel/ch1".into(),
            query: vec![
                ("start", "15610547826970050".into()),
                ("limit", "10".into()),
            ],
            body: None,
        };
        let prepared = prepare_at(&config, &request, 1_700_000_000);
        let query = prepared
            .path_and_query
            .split_once('?')
            .map(|(_, query)| query.to_owned());
        let query = query.unwrap_or_default();
        let (canonical, signature) = query.split_once("&signature=").unwrap_or_default();
        let expected_canonical = format!(
            "limit=10&pnsdk={}&start=15610547826970050&timestamp=1700000000&uuid=user-1",
            percent_encode(PNSDK)
        );
        assert_eq!(canonical, expected_canonical);
        let expected_signature = sign_v2(
            "sec-c-TEST",
            "pub-c-TEST",
            "GET",
            "/v1/message-actions/sub-c-TEST/channel/ch1",
            &expected_canonical,
            "",
        );
        assert_eq!(signature, expected_signature);
    }

    #[test]
    fn timetokens_parse_from_strings_and_integers_only() {
        assert_eq!(
            parse_timetoken(&json!("15782701499548912")),
            Some(15782701499548912)
        );
        assert_eq!(
            parse_timetoken(&json!(15782701499548913_u64)),
            Some(15782701499548913)
        );
        assert_eq!(
            parse_timetoken(&json!("18446744073709551615")),
            Some(u64::MAX)
        );
        assert_eq!(parse_timetoken(&json!("18446744073709551616")), None);
        assert_eq!(parse_timetoken(&json!("1.5")), None);
        assert_eq!(parse_timetoken(&json!("")), None);
        assert_eq!(parse_timetoken(&json!("-1")), None);
        assert_eq!(parse_timetoken(&json!(1.5e16)), None);
        assert_eq!(parse_timetoken(&json!(null)), None);
    }

    #[test]
    fn error_shapes_give_server_message() {
        let actions = reply(
            409,
            r#"{"status": 409, "error": {"source": "actions", "message": "Action Already Added"}}"#,
        );
        let status = read_reply(&context(Operation::AddMessageAction), &actions).unwrap_err();
        assert_eq!(status.code, Code::AlreadyAdded);
        assert_eq!(status.category, Category::Unknown);
        assert_eq!(status.http_status, 409);
        assert_eq!(
            status.server_message.as_deref(),
            Some("Action Already Added")
        );
        assert_eq!(
            status.message,
            "this user already added an action with this type and value to the message (HTTP 409): Action Already Added"
        );

        let balancer = reply(
            414,
            r#"{"message":"Request URI Too Long","error":true,"service":"Balancer","status":414}"#,
        );
        let status = read_reply(&context(Operation::AddMessageAction), &balancer).unwrap_err();
        assert_eq!(status.code, Code::HttpError);
        assert_eq!(
            status.server_message.as_deref(),
            Some("Request URI Too Long")
        );

        let publish = reply(400, r#"[0,"Invalid Key","14707240653092162"]"#);
        let status = read_reply(&context(Operation::AddMessageAction), &publish).unwrap_err();
        assert_eq!(status.code, Code::BadRequest);
        assert_eq!(status.category, Category::BadRequest);
        assert_eq!(status.server_message.as_deref(), Some("Invalid Key"));
    }
}
