//! Maps a request to the endpoint that handles it, applies the checks shared
//! by all endpoints (see [`guard`]) and calls the endpoint.
//!
//! A path that matches no endpoint gets 404 and a known path with another method
//! gets 405, both with `{"status": N, "error": true, "message": "..."}`. The
//! PubNub service documents no body for these cases, so this one is the
//! emulator's own. `OPTIONS` on any path gets 200 with the CORS headers and an
//! empty body, for browser preflight requests.

pub mod actions;
pub mod guard;
pub mod publish;
pub mod time;

use hyper::{Method, StatusCode};

use crate::access::Access;
use crate::reply::{Reply, routing_error};
use crate::request::Request;
use crate::server::ServerState;
use publish::MessageSource;

/// One endpoint with the path parameters it was called with (percent-decoded).
#[derive(Debug, Clone, Copy)]
pub enum Endpoint<'a> {
    Time,
    Publish {
        publish_key: &'a str,
        subscribe_key: &'a str,
        channel: &'a str,
        source: MessageSource,
    },
    ListActions {
        subscribe_key: &'a str,
        channel: &'a str,
    },
    AddAction {
        subscribe_key: &'a str,
        channel: &'a str,
        message_timetoken: &'a str,
    },
    RemoveAction {
        subscribe_key: &'a str,
        channel: &'a str,
        message_timetoken: &'a str,
        action_timetoken: &'a str,
    },
}

impl Endpoint<'_> {
    /// Returns the channels the endpoint reads or writes.
    pub fn channels(&self) -> Vec<&str> {
        match *self {
            Endpoint::Time => Vec::new(),
            Endpoint::Publish { channel, .. }
            | Endpoint::ListActions { channel, .. }
            | Endpoint::AddAction { channel, .. }
            | Endpoint::RemoveAction { channel, .. } => vec![channel],
        }
    }

    /// Returns the access the endpoint needs on its channels.
    pub fn required_access(&self) -> Access {
        match self {
            Endpoint::Time | Endpoint::ListActions { .. } => Access::Read,
            Endpoint::Publish { .. }
            | Endpoint::AddAction { .. }
            | Endpoint::RemoveAction { .. } => Access::Write,
        }
    }

    /// Tells whether the endpoint belongs to the actions service, whose
    /// errors have the `{"status": N, "error": {"source": "actions", ...}}` shape.
    pub fn is_actions(&self) -> bool {
        matches!(
            self,
            Endpoint::ListActions { .. }
                | Endpoint::AddAction { .. }
                | Endpoint::RemoveAction { .. }
        )
    }

    /// Returns the subscribe key named in the path; `None` for endpoints without one.
    pub fn subscribe_key(&self) -> Option<&str> {
        match *self {
            Endpoint::Time => None,
            Endpoint::Publish { subscribe_key, .. }
            | Endpoint::ListActions { subscribe_key, .. }
            | Endpoint::AddAction { subscribe_key, .. }
            | Endpoint::RemoveAction { subscribe_key, .. } => Some(subscribe_key),
        }
    }
}

/// Returns the reply to `request`.
pub async fn route(state: &ServerState, request: &Request) -> Reply {
    if request.method == Method::OPTIONS {
        return Reply::empty(StatusCode::OK);
    }

    let segments: Vec<&str> = request.segments.iter().map(String::as_str).collect();
    let endpoint = match match_endpoint(&request.method, &segments) {
        Ok(endpoint) => endpoint,
        Err(status) => return routing_reply(status, request),
    };
    if let Err(reply) = guard::check(state, request, &endpoint) {
        return reply;
    }

    match endpoint {
        Endpoint::Time => time::get(),
        Endpoint::Publish {
            subscribe_key,
            channel,
            source,
            ..
        } => publish::publish(state, request, subscribe_key, channel, source),
        Endpoint::ListActions {
            subscribe_key,
            channel,
        } => actions::list(state, request, subscribe_key, channel),
        Endpoint::AddAction {
            subscribe_key,
            channel,
            message_timetoken,
        } => actions::add(state, request, subscribe_key, channel, message_timetoken),
        Endpoint::RemoveAction {
            subscribe_key,
            channel,
            message_timetoken,
            action_timetoken,
        } => actions::remove(
            state,
            request,
            subscribe_key,
            channel,
            message_timetoken,
            action_timetoken,
        ),
    }
}

/// Finds the endpoint for `method` and the path `segments`, or returns 404 for
/// an unknown path and 405 for a known path with another method.
fn match_endpoint<'a>(method: &Method, segments: &[&'a str]) -> Result<Endpoint<'a>, StatusCode> {
    let (endpoint, expected_method) = match *segments {
        ["time", "0"] => (Endpoint::Time, Method::GET),
        ["publish", publish_key, subscribe_key, _, channel, _, _] => (
            Endpoint::Publish {
                publish_key,
                subscribe_key,
                channel,
                source: MessageSource::Path,
            },
            Method::GET,
        ),
        ["publish", publish_key, subscribe_key, _, channel, _] => (
            Endpoint::Publish {
                publish_key,
                subscribe_key,
                channel,
                source: MessageSource::Body,
            },
            Method::POST,
        ),
        ["v1", "message-actions", subscribe_key, "channel", channel] => (
            Endpoint::ListActions {
                subscribe_key,
                channel,
            },
            Method::GET,
        ),
        [
            "v1",
            "message-actions",
            subscribe_key,
            "channel",
            channel,
            "message",
            message_timetoken,
        ] => (
            Endpoint::AddAction {
                subscribe_key,
                channel,
                message_timetoken,
            },
            Method::POST,
        ),
        [
            "v1",
            "message-actions",
            subscribe_key,
            "channel",
            channel,
            "message",
            message_timetoken,
            "action",
            action_timetoken,
        ] => (
            Endpoint::RemoveAction {
                subscribe_key,
                channel,
                message_timetoken,
                action_timetoken,
            },
            Method::DELETE,
        ),
        _ => return Err(StatusCode::NOT_FOUND),
    };

    if *method == expected_method {
        Ok(endpoint)
    } else {
        Err(StatusCode::METHOD_NOT_ALLOWED)
    }
}

fn routing_reply(status: StatusCode, request: &Request) -> Reply {
    let message = if status == StatusCode::METHOD_NOT_ALLOWED {
        format!(
            "Method {} is not allowed on {}",
            request.method, request.raw_path
        )
    } else {
        format!("No endpoint at {} {}", request.method, request.raw_path)
    };
    routing_error(status, &message)
}
