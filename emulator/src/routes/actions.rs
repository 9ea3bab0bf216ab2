//! The Message Actions endpoints:
//!
//! - `POST /v1/message-actions/{sub}/channel/{ch}/message/{message_tt}` adds an action,
//! - `GET /v1/message-actions/{sub}/channel/{ch}` lists actions,
//! - `DELETE /v1/message-actions/{sub}/channel/{ch}/message/{message_tt}/action/{action_tt}`
//!   removes one.
//!
//! Bodies use the spaced JSON layout and the key order of the 2025 service,
//! `type, value, uuid, actionTimetoken, messageTimetoken`. Each action's JSON
//! is rendered once when it is added (see [`crate::action_json`]).
//!
//! Where the PubNub service's reply is not documented, the emulator returns
//! 400 with the "Request payload contained invalid input." body and a
//! `details` entry naming the field:
//! - a missing or empty `uuid` query parameter on add and remove
//!   (`"Missing field"`, location `uuid`, type `query`),
//! - an add body that is not a JSON object (`"Invalid value"`, location `body`),
//! - `type` or `value` present but not a JSON string (`"Invalid value"`),
//! - a timetoken in the path that is not 1 to 19 decimal digits
//!   (`"Invalid value"`, location `messageTimetoken` or `actionTimetoken`, type `path`),
//! - `start`, `end` or `limit` that is not a decimal integer (type `query`).
//!
//! An empty `type` or `value` string counts as missing, as every PubNub SDK
//! rejects it before sending.
//!
//! When the `event_not_published` fault applies, an add or remove still
//! changes the store but publishes no subscribe event, and a successful one
//! gets 207, as the service replies when publishing the event failed.

use std::sync::Arc;

use hyper::StatusCode;
use serde::Serialize;
use serde_json::Value;

use crate::json::Layout;
use crate::reply::{self, ErrorDetail, Reply, actions_error, actions_error_with_details};
use crate::request::Request;
use crate::server::ServerState;
use crate::store::{Action, AddError, RemoveError, TimetokenRange};

/// Number of actions a list returns when the request has no `limit` or `limit=0`.
pub const DEFAULT_LIMIT: usize = 100;

/// Largest number of actions one list returns.
///
/// NOTE: the PubNub service's maximum is not documented (SDKs send at most 100,
/// the docs show an example with 500). The emulator lowers a larger `limit` to
/// 100 and does not add a `more` object, so a client pages with `start` as it
/// does after any short page.
pub const MAX_LIMIT: usize = 100;

#[derive(Serialize)]
struct DataBody<T> {
    status: u16,
    data: T,
}

#[derive(Serialize)]
struct EmptyObject {}

/// Message of the 207 reply to an add whose action was stored but whose
/// "added" event was not published.
pub const ADD_EVENT_NOT_PUBLISHED: &str = "Stored but failed to publish message action.";

/// Message of the 207 reply to a remove whose "removed" event was not published.
pub const REMOVE_EVENT_NOT_PUBLISHED: &str = "Deleted but failed to publish removed events.";

/// Body of a successful add: `{"status": 200, "data": ACTION}`.
fn added_body(action: &Action) -> String {
    format!(r#"{{"status": 200, "data": {}}}"#, action.json)
}

/// Body of the 207 reply to an add whose event was not published, in the
/// shape of the Swift SDK's test fixture `addMessageAction_success_207.json`
/// (a mock, not a recording): the stored action in `data` and an `error` with
/// the keys `message`, then `source`.
fn added_without_event_body(action: &Action) -> String {
    format!(
        r#"{{"status": 207, "data": {}, "error": {{"message": "{ADD_EVENT_NOT_PUBLISHED}", "source": "actions"}}}}"#,
        action.json
    )
}

/// Body of a list reply: `{"status": 200, "data": [ACTION, ...]}`.
fn list_body(actions: &[Arc<str>]) -> String {
    let data_len: usize = actions.iter().map(|action| action.len() + 2).sum();
    let mut body = String::with_capacity(data_len + 32);
    body.push_str(r#"{"status": 200, "data": ["#);
    for (index, action) in actions.iter().enumerate() {
        if index > 0 {
            body.push_str(", ");
        }
        body.push_str(action);
    }
    body.push_str("]}");
    body
}

/// Parses a timetoken written as 1 to 19 decimal digits.
pub fn parse_timetoken(text: &str) -> Option<u64> {
    let digits_only = text.bytes().all(|byte| byte.is_ascii_digit());
    if text.is_empty() || text.len() > 19 || !digits_only {
        return None;
    }
    text.parse().ok()
}

fn invalid_input(details: &[ErrorDetail]) -> Reply {
    actions_error_with_details(StatusCode::BAD_REQUEST, reply::INVALID_INPUT, details)
}

fn required_uuid(request: &Request) -> Result<&str, Reply> {
    match request.query_value("uuid") {
        Some(uuid) if !uuid.is_empty() => Ok(uuid),
        _ => Err(invalid_input(&[ErrorDetail::missing("uuid", "query")])),
    }
}

fn path_timetoken(text: &str, location: &str) -> Result<u64, Reply> {
    parse_timetoken(text).ok_or_else(|| invalid_input(&[ErrorDetail::invalid(location, "path")]))
}

/// Reads the string field `name` of the add body, or the detail saying why it
/// cannot be used.
fn body_string<'a>(
    body: &'a serde_json::Map<String, Value>,
    name: &str,
) -> Result<&'a str, ErrorDetail> {
    match body.get(name) {
        None | Some(Value::Null) => Err(ErrorDetail::missing(name, "body")),
        Some(Value::String(text)) if text.is_empty() => Err(ErrorDetail::missing(name, "body")),
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(ErrorDetail::invalid(name, "body")),
    }
}

/// Handles an add: stores the action and returns it with its new action timetoken.
pub fn add(
    state: &ServerState,
    request: &Request,
    subscribe_key: &str,
    channel: &str,
    message_timetoken: &str,
) -> Reply {
    let message_timetoken = match path_timetoken(message_timetoken, "messageTimetoken") {
        Ok(timetoken) => timetoken,
        Err(reply) => return reply,
    };
    let uuid = match required_uuid(request) {
        Ok(uuid) => uuid,
        Err(reply) => return reply,
    };
    let body = match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Object(body)) => body,
        _ => return invalid_input(&[ErrorDetail::invalid("body", "body")]),
    };
    let action_type = body_string(&body, "type");
    let value = body_string(&body, "value");
    let (action_type, value) = match (action_type, value) {
        (Ok(action_type), Ok(value)) => (action_type, value),
        (action_type, value) => {
            let details: Vec<ErrorDetail> = [action_type.err(), value.err()]
                .into_iter()
                .flatten()
                .collect();
            return invalid_input(&details);
        }
    };

    let added = state.store.add_action(
        subscribe_key,
        channel,
        message_timetoken,
        action_type,
        value,
        uuid,
        request.publish_events,
    );

    match added {
        Ok(action) if !request.publish_events => {
            Reply::text(StatusCode::MULTI_STATUS, added_without_event_body(&action))
        }
        Ok(action) => Reply::text(StatusCode::OK, added_body(&action)),
        Err(AddError::Duplicate) => actions_error(StatusCode::CONFLICT, "Action Already Added"),
    }
}

fn query_integer(request: &Request, name: &str) -> Result<Option<u64>, Reply> {
    match request.query_value(name) {
        None => Ok(None),
        Some(text) => match text.parse::<u64>() {
            Ok(number) => Ok(Some(number)),
            Err(_) => Err(invalid_input(&[ErrorDetail::invalid(name, "query")])),
        },
    }
}

fn list_range(request: &Request) -> Result<TimetokenRange, Reply> {
    let start = query_integer(request, "start")?;
    let end = query_integer(request, "end")?;
    let limit = match query_integer(request, "limit")? {
        None | Some(0) => DEFAULT_LIMIT,
        Some(limit) => usize::try_from(limit).unwrap_or(MAX_LIMIT).min(MAX_LIMIT),
    };
    Ok(TimetokenRange { start, end, limit })
}

/// Handles a list: the newest `limit` actions in `[end, start)`, oldest first.
pub fn list(state: &ServerState, request: &Request, subscribe_key: &str, channel: &str) -> Reply {
    let range = match list_range(request) {
        Ok(range) => range,
        Err(reply) => return reply,
    };

    let actions = state
        .store
        .list_actions(subscribe_key, channel, range, |action| {
            Arc::clone(&action.json)
        });

    Reply::text(StatusCode::OK, list_body(&actions))
}

/// Handles a remove: deletes the action when the request's `uuid` added it.
pub fn remove(
    state: &ServerState,
    request: &Request,
    subscribe_key: &str,
    channel: &str,
    message_timetoken: &str,
    action_timetoken: &str,
) -> Reply {
    let message_timetoken = match path_timetoken(message_timetoken, "messageTimetoken") {
        Ok(timetoken) => timetoken,
        Err(reply) => return reply,
    };
    let action_timetoken = match path_timetoken(action_timetoken, "actionTimetoken") {
        Ok(timetoken) => timetoken,
        Err(reply) => return reply,
    };
    let uuid = match required_uuid(request) {
        Ok(uuid) => uuid,
        Err(reply) => return reply,
    };

    let removed = state.store.remove_action(
        subscribe_key,
        channel,
        message_timetoken,
        action_timetoken,
        uuid,
        request.publish_events,
    );

    match removed {
        Ok(_) if !request.publish_events => {
            actions_error(StatusCode::MULTI_STATUS, REMOVE_EVENT_NOT_PUBLISHED)
        }
        Ok(_) => {
            let body = DataBody {
                status: 200,
                data: EmptyObject {},
            };
            Reply::json(StatusCode::OK, &body, Layout::Spaced)
        }
        Err(RemoveError::NotFound) => actions_error(
            StatusCode::BAD_REQUEST,
            "No matching message actions to delete",
        ),
        Err(RemoveError::WrongUuid) => actions_error(
            StatusCode::BAD_REQUEST,
            "Not deleting message action: wrong uuid specified",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timetoken_parsing() {
        assert_eq!(
            parse_timetoken("15782701499548912"),
            Some(15_782_701_499_548_912)
        );
        assert_eq!(parse_timetoken("1"), Some(1));
        assert_eq!(parse_timetoken("18446744073709551615"), None);
        assert_eq!(
            parse_timetoken("9999999999999999999"),
            Some(9_999_999_999_999_999_999)
        );
        assert_eq!(parse_timetoken(""), None);
        assert_eq!(parse_timetoken("+1"), None);
        assert_eq!(parse_timetoken("12a"), None);
    }
}
