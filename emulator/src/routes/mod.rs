//! Maps a request to the endpoint that handles it, applies the checks shared
//! by all endpoints (see [`guard`]) and calls the endpoint.
//!
//! A path that matches no endpoint gets 404 and a known path with another method
//! gets 405, both with `{"status": N, "error": true, "message": "..."}`. The
//! PubNub service documents no body for these cases, so this one is the
//! emulator's own. `OPTIONS` on any path gets 200 with the CORS headers and an
//! empty body, for browser preflight requests.

pub mod actions;
pub mod endpoint;
pub mod guard;
pub mod history;
pub mod presence;
pub mod publish;
pub mod subscribe;
pub mod time;

use hyper::{Method, StatusCode};

use crate::reply::{Reply, routing_error};
use crate::request::Request;
use crate::server::ServerState;
pub use endpoint::{Endpoint, Service};

/// Returns the reply to `request`.
pub async fn route(state: &ServerState, request: &Request) -> Reply {
    if request.method == Method::OPTIONS {
        return Reply::empty(StatusCode::OK);
    }

    let segments: Vec<&str> = request.segments.iter().map(String::as_str).collect();
    let endpoint = match Endpoint::select(&request.method, &segments) {
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
        Endpoint::History {
            subscribe_key,
            channel,
        } => history::get(state, request, subscribe_key, channel),
        Endpoint::DeleteHistory {
            subscribe_key,
            channel,
        } => history::delete(state, request, subscribe_key, channel),
        Endpoint::Presence { change, .. } => presence::reply(change),
        Endpoint::Subscribe { subscribe_key, .. } => {
            let channels = endpoint.channels();
            subscribe::get(state, request, subscribe_key, &channels).await
        }
    }
}

/// Tells whether `request` adds or removes a message action, the requests
/// the `event_not_published` fault applies to.
pub fn changes_action(request: &Request) -> bool {
    let segments: Vec<&str> = request.segments.iter().map(String::as_str).collect();
    matches!(
        Endpoint::select(&request.method, &segments),
        Ok(Endpoint::AddAction { .. } | Endpoint::RemoveAction { .. })
    )
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
