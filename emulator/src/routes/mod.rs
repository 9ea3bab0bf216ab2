//! Maps a request to the endpoint that handles it and applies the key checks
//! shared by all endpoints.
//!
//! A path that matches no endpoint gets 404 and a known path with another method
//! gets 405, both with `{"status": N, "error": true, "message": "..."}`. The
//! PubNub service documents no body for these cases, so this one is the
//! emulator's own. `OPTIONS` on any path gets 200 with the CORS headers and an
//! empty body, for browser preflight requests.

pub mod actions;
pub mod publish;
pub mod time;

use hyper::{Method, StatusCode};

use crate::clock;
use crate::reply::{Reply, actions_error, publish_error, routing_error};
use crate::request::Request;
use crate::server::ServerState;
use publish::MessageSource;

/// Returns the reply to `request`.
pub async fn route(state: &ServerState, request: &Request) -> Reply {
    if request.method == Method::OPTIONS {
        return Reply::empty(StatusCode::OK);
    }

    let segments: Vec<&str> = request.segments.iter().map(String::as_str).collect();
    let method = &request.method;
    match segments.as_slice() {
        ["time", "0"] if method == Method::GET => time::get(),

        ["publish", publish_key, subscribe_key, _, channel, _, _] if method == Method::GET => {
            if let Some(reply) = check_publish_keys(state, publish_key, subscribe_key) {
                return reply;
            }
            publish::publish(state, request, subscribe_key, channel, MessageSource::Path)
        }
        ["publish", publish_key, subscribe_key, _, channel, _] if method == Method::POST => {
            if let Some(reply) = check_publish_keys(state, publish_key, subscribe_key) {
                return reply;
            }
            publish::publish(state, request, subscribe_key, channel, MessageSource::Body)
        }

        ["v1", "message-actions", subscribe_key, "channel", channel] if method == Method::GET => {
            if let Some(reply) = check_actions_key(state, subscribe_key) {
                return reply;
            }
            actions::list(state, request, subscribe_key, channel)
        }
        [
            "v1",
            "message-actions",
            subscribe_key,
            "channel",
            channel,
            "message",
            message,
        ] if method == Method::POST => {
            if let Some(reply) = check_actions_key(state, subscribe_key) {
                return reply;
            }
            actions::add(state, request, subscribe_key, channel, message)
        }
        [
            "v1",
            "message-actions",
            subscribe_key,
            "channel",
            channel,
            "message",
            message,
            "action",
            action,
        ] if method == Method::DELETE => {
            if let Some(reply) = check_actions_key(state, subscribe_key) {
                return reply;
            }
            actions::remove(state, request, subscribe_key, channel, message, action)
        }

        ["time", "0"]
        | ["publish", _, _, _, _, _, _]
        | ["publish", _, _, _, _, _]
        | ["v1", "message-actions", _, "channel", _]
        | ["v1", "message-actions", _, "channel", _, "message", _]
        | [
            "v1",
            "message-actions",
            _,
            "channel",
            _,
            "message",
            _,
            "action",
            _,
        ] => {
            let message = format!("Method {method} is not allowed on {}", request.raw_path);
            routing_error(StatusCode::METHOD_NOT_ALLOWED, &message)
        }
        _ => {
            let message = format!("No endpoint at {} {}", method, request.raw_path);
            routing_error(StatusCode::NOT_FOUND, &message)
        }
    }
}

/// Returns the `Invalid Subkey` reply when the subscribe key is not accepted.
fn check_actions_key(state: &ServerState, subscribe_key: &str) -> Option<Reply> {
    if state.config.accepts_subscribe_key(subscribe_key) {
        None
    } else {
        Some(actions_error(StatusCode::BAD_REQUEST, "Invalid Subkey"))
    }
}

/// Returns the `Invalid Key` reply when either publish path key is not accepted.
fn check_publish_keys(
    state: &ServerState,
    publish_key: &str,
    subscribe_key: &str,
) -> Option<Reply> {
    let accepted = state.config.accepts_publish_key(publish_key)
        && state.config.accepts_subscribe_key(subscribe_key);
    if accepted {
        None
    } else {
        Some(publish_error(
            StatusCode::BAD_REQUEST,
            "Invalid Key",
            clock::next_timetoken(),
        ))
    }
}
