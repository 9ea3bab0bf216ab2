//! Publish:
//!
//! - `GET /publish/{pub}/{sub}/0/{channel}/{callback}/{message}` with the message as
//!   URL-encoded JSON in the last path segment,
//! - `POST /publish/{pub}/{sub}/0/{channel}/{callback}` with the message as the JSON body.
//!
//! Success is `[1,"Sent","<timetoken>"]`. Errors are `[0,"<message>","<timetoken>"]`.
//! The query parameters read are `store` (`0` keeps the message out of
//! history), `meta` (JSON), `uuid` and `custom_message_type`. Others, such as
//! `seqn`, `ttl` and `norep`, are accepted and ignored.

use hyper::StatusCode;

use crate::clock;
use crate::json::{self, Layout};
use crate::reply::{Reply, publish_error};
use crate::request::Request;
use crate::server::ServerState;
use crate::store::NewMessage;

/// Largest accepted message in bytes: 32 KiB, the PubNub publish limit.
///
/// NOTE: PubNub counts the escaped message together with the channel name. The
/// emulator counts the message as received (URL-encoded path segment or raw
/// body) plus the encoded channel segment, which may differ from the service
/// by a few bytes.
pub const MAX_MESSAGE_BYTES: usize = 32 * 1024;

/// Location of the message in a publish request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageSource {
    /// URL-encoded in the last path segment (GET).
    Path,
    /// The request body (POST).
    Body,
}

/// Handles a publish with the message from `source`.
pub fn publish(
    state: &ServerState,
    request: &Request,
    subscribe_key: &str,
    channel: &str,
    source: MessageSource,
) -> Reply {
    let raw_channel = raw_segment(request, 4).unwrap_or_default();
    let (message_text, encoded_size) = match source {
        MessageSource::Path => (
            request.segments.get(6).cloned().unwrap_or_default(),
            raw_segment(request, 6).map_or(0, str::len),
        ),
        MessageSource::Body => match std::str::from_utf8(&request.body) {
            Ok(text) => (text.to_owned(), request.body.len()),
            Err(_) => {
                return publish_error(
                    StatusCode::BAD_REQUEST,
                    "Invalid JSON",
                    clock::next_timetoken(),
                );
            }
        },
    };
    if encoded_size + raw_channel.len() > MAX_MESSAGE_BYTES {
        return publish_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Message Too Large",
            clock::next_timetoken(),
        );
    }
    let Ok(message) = json::parse_raw(&message_text) else {
        return publish_error(
            StatusCode::BAD_REQUEST,
            "Invalid JSON",
            clock::next_timetoken(),
        );
    };
    let meta = match request.query_value("meta") {
        None | Some("") => None,
        Some(text) => match json::parse_raw(text) {
            Ok(meta) => Some(meta),
            Err(_) => {
                return publish_error(
                    StatusCode::BAD_REQUEST,
                    "Invalid JSON",
                    clock::next_timetoken(),
                );
            }
        },
    };
    let new_message = NewMessage {
        message,
        meta,
        uuid: request.query_value("uuid").map(str::to_owned),
        custom_message_type: request
            .query_value("custom_message_type")
            .map(str::to_owned),
        store_in_history: request.query_value("store") != Some("0"),
    };

    let timetoken = state.store.publish(subscribe_key, channel, new_message);

    let timetoken = timetoken.to_string();
    Reply::json(StatusCode::OK, &(1, "Sent", timetoken), Layout::Compact)
}

/// Returns path segment `index` (after the leading `/`) as received, still encoded.
pub fn raw_segment(request: &Request, index: usize) -> Option<&str> {
    request
        .raw_path
        .strip_prefix('/')
        .unwrap_or(&request.raw_path)
        .split('/')
        .nth(index)
}
