//! `GET /v3/history-with-actions/sub-key/{sub}/channel/{ch}`: stored messages
//! of one channel, each with the actions added to it. Also
//! `DELETE /v3/history/sub-key/{sub}/channel/{ch}`, which deletes stored
//! messages (see [`delete`]).
//!
//! Query parameters:
//! - `max`: number of messages, default 25 and at most 25. `0` means 25. When
//!   `max` is absent, `limit` (sent by the PubNub C SDK) is read instead.
//! - `start` (exclusive) and `end` (inclusive) bound the message timetokens.
//!   The newest `max` messages in range are returned, oldest first.
//! - `include_meta`, `include_uuid`, `include_message_type` and
//!   `include_custom_message_type` accept `true`, `false`, `1` or `0`.
//!
//! The reply is `{"status": 200, "channels": {"ch": [...]}, "error_message": "", "error": false}`,
//! with `"channels": {}` when nothing matches. A message with actions has
//! `"actions": {type: {value: [{"uuid": ..., "actionTimetoken": ...}]}}`, and one
//! without actions has no `actions` key.
//!
//! NOTE: the defaults of the include flags are not in the references this
//! emulator was built from. It defaults `include_uuid` and
//! `include_message_type` to true and the others to false. `message_type` is
//! written as `""`, as in a 2020 recording; a 2024 recording shows `null`.
//! No `more` object is added when messages are cut at `max`.

use hyper::StatusCode;
use serde::Serialize;
use serde_json::value::RawValue;

use crate::json::{self, Layout, OrderedObject};
use crate::reply::{Reply, history_error};
use crate::request::Request;
use crate::server::ServerState;
use crate::store::{Action, StoredMessage, TimetokenRange};

/// Number of messages returned when the request sets no `max`, and the largest
/// number returned at all.
pub const MAX_MESSAGES: usize = 25;

/// One action in the `actions` object of a message.
#[derive(Serialize)]
struct ActionEntry<'a> {
    uuid: &'a str,
    #[serde(rename = "actionTimetoken")]
    action_timetoken: String,
}

/// Actions grouped by type, then by value, in the order they were added.
type GroupedActions<'a> = OrderedObject<OrderedObject<Vec<ActionEntry<'a>>>>;

/// Meta as written in history: the stored JSON, or `""` when there is none.
#[derive(Serialize)]
#[serde(untagged)]
enum Meta {
    Stored(Box<RawValue>),
    Empty(&'static str),
}

/// One message in the reply, in the key order of recorded replies.
#[derive(Serialize)]
struct MessageEntry<'a> {
    timetoken: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Meta>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uuid: Option<&'a str>,
    message: Box<RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_message_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actions: Option<GroupedActions<'a>>,
}

#[derive(Serialize)]
struct HistoryBody<'a> {
    status: u16,
    channels: OrderedObject<Vec<MessageEntry<'a>>>,
    error_message: &'static str,
    error: bool,
}

/// Fields the request asked to include.
#[derive(Debug, Clone, Copy)]
struct Includes {
    meta: bool,
    uuid: bool,
    message_type: bool,
    custom_message_type: bool,
}

fn invalid(name: &str, expected: &str) -> Reply {
    let message = format!("Invalid value for {name}: expected {expected}");
    history_error(StatusCode::BAD_REQUEST, &message)
}

fn flag(request: &Request, name: &str, default: bool) -> Result<bool, Reply> {
    match request.query_value(name) {
        None => Ok(default),
        Some("true" | "1") => Ok(true),
        Some("false" | "0") => Ok(false),
        Some(_) => Err(invalid(name, "true, false, 1 or 0")),
    }
}

fn integer(request: &Request, name: &str) -> Result<Option<u64>, Reply> {
    match request.query_value(name) {
        None => Ok(None),
        Some(text) => text
            .parse::<u64>()
            .map(Some)
            .map_err(|_| invalid(name, "a decimal integer")),
    }
}

fn parse_query(request: &Request) -> Result<(TimetokenRange, Includes), Reply> {
    let count = match integer(request, "max")? {
        Some(count) => Some(count),
        None => integer(request, "limit")?,
    };
    let limit = match count {
        None | Some(0) => MAX_MESSAGES,
        Some(count) => usize::try_from(count)
            .unwrap_or(MAX_MESSAGES)
            .min(MAX_MESSAGES),
    };
    let range = TimetokenRange {
        start: integer(request, "start")?,
        end: integer(request, "end")?,
        limit,
    };
    let includes = Includes {
        meta: flag(request, "include_meta", false)?,
        uuid: flag(request, "include_uuid", true)?,
        message_type: flag(request, "include_message_type", true)?,
        custom_message_type: flag(request, "include_custom_message_type", false)?,
    };
    Ok((range, includes))
}

fn group_actions(actions: &[Action]) -> GroupedActions<'_> {
    let mut by_type: Vec<(String, OrderedObject<Vec<ActionEntry<'_>>>)> = Vec::new();
    for action in actions {
        let type_index = match by_type
            .iter()
            .position(|(name, _)| *name == action.action_type)
        {
            Some(index) => index,
            None => {
                by_type.push((action.action_type.clone(), OrderedObject(Vec::new())));
                by_type.len() - 1
            }
        };
        let values = &mut by_type[type_index].1.0;
        let value_index = match values.iter().position(|(value, _)| *value == action.value) {
            Some(index) => index,
            None => {
                values.push((action.value.clone(), Vec::new()));
                values.len() - 1
            }
        };
        values[value_index].1.push(ActionEntry {
            uuid: &action.uuid,
            action_timetoken: action.action_timetoken.to_string(),
        });
    }
    OrderedObject(by_type)
}

fn message_entry<'a>(
    message: &'a StoredMessage,
    actions: &'a [Action],
    includes: Includes,
) -> MessageEntry<'a> {
    let meta = includes.meta.then(|| match &message.meta {
        Some(meta) => Meta::Stored(json::raw_in_layout(meta, Layout::Spaced)),
        None => Meta::Empty(""),
    });
    MessageEntry {
        timetoken: message.timetoken.to_string(),
        meta,
        uuid: message.uuid.as_deref().filter(|_| includes.uuid),
        message: json::raw_in_layout(&message.message, Layout::Spaced),
        message_type: includes.message_type.then_some(""),
        custom_message_type: message
            .custom_message_type
            .as_deref()
            .filter(|_| includes.custom_message_type),
        actions: (!actions.is_empty()).then(|| group_actions(actions)),
    }
}

/// Handles a history-with-actions request.
pub fn get(state: &ServerState, request: &Request, subscribe_key: &str, channel: &str) -> Reply {
    let (range, includes) = match parse_query(request) {
        Ok(parsed) => parsed,
        Err(reply) => return reply,
    };

    let messages = state.store.history(subscribe_key, channel, range);

    let entries: Vec<MessageEntry<'_>> = messages
        .iter()
        .map(|(message, actions)| message_entry(message, actions, includes))
        .collect();
    let channels = if entries.is_empty() {
        OrderedObject(Vec::new())
    } else {
        OrderedObject(vec![(channel.to_owned(), entries)])
    };
    let body = HistoryBody {
        status: 200,
        channels,
        error_message: "",
        error: false,
    };
    Reply::json(StatusCode::OK, &body, Layout::Spaced)
}

#[derive(Serialize)]
struct DeletedBody {
    status: u16,
    error: bool,
    error_message: &'static str,
}

/// Handles a history delete: removes the stored messages between `start`
/// (exclusive) and `end` (inclusive), in either order, and replies
/// `{"status": 200, "error": false, "error_message": ""}`.
///
/// As PubNub's REST API documentation states, no bounds delete every
/// message, `start` alone deletes those before it, `end` alone those at or
/// after it, and equal bounds delete nothing.
///
/// NOTE: whether the service also deletes the actions of deleted messages is
/// not documented. The emulator keeps them, so listing actions still returns
/// them, and subscribers keep the events they have not fetched yet.
pub fn delete(state: &ServerState, request: &Request, subscribe_key: &str, channel: &str) -> Reply {
    let bounds = integer(request, "start").and_then(|start| Ok((start, integer(request, "end")?)));
    let (start, end) = match bounds {
        Ok(bounds) => bounds,
        Err(reply) => return reply,
    };

    let deleted = state
        .store
        .delete_messages(subscribe_key, channel, start, end);
    log::debug!("deleted {deleted} messages from the history of {channel:?}");

    let body = DeletedBody {
        status: 200,
        error: false,
        error_message: "",
    };
    Reply::json(StatusCode::OK, &body, Layout::Spaced)
}
