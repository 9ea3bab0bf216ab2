//! `GET /v2/subscribe/{sub}/{channels}/0?tt=&tr=`: long-poll subscribe.
//!
//! `tt=0` (or no `tt`) is the handshake and returns the current timetoken at
//! once with no messages. A later request with that timetoken returns every
//! event on the channels after it (up to 100), or waits for one until the
//! configured hold time passes and then returns the same cursor with no
//! messages. The reply is compact:
//! `{"t":{"t":"<timetoken>","r":41},"m":[<envelope>, ...]}`. Events are
//! published messages and `e: 3` message action envelopes (see [`crate::events`]).
//!
//! `channels` is a comma-separated list. `tr`, `heartbeat`, `state` and
//! `uuid` are accepted and ignored.
//!
//! NOTE: channel groups (`channel-group`), filter expressions (`filter-expr`)
//! and presence events are not emulated. A `filter-expr` is ignored, so every
//! event is delivered.

use hyper::StatusCode;

use crate::clock;
use crate::events::SUBSCRIBE_REGION;
use crate::reply::{Reply, service_error};
use crate::request::Request;
use crate::server::ServerState;

/// Largest number of envelopes in one subscribe reply; the rest follow in the
/// next long-poll.
pub const MAX_ENVELOPES: usize = 100;

/// Service name in subscribe error bodies.
const SERVICE: &str = "Subscribe";

fn cursor_reply(timetoken: u64, envelopes: &[std::sync::Arc<str>]) -> Reply {
    let mut body = format!(r#"{{"t":{{"t":"{timetoken}","r":{SUBSCRIBE_REGION}}},"m":["#);
    for (index, envelope) in envelopes.iter().enumerate() {
        if index > 0 {
            body.push(',');
        }
        body.push_str(envelope);
    }
    body.push_str("]}");
    Reply::text(StatusCode::OK, body)
}

/// Handles a subscribe request for `channels`.
pub async fn get(
    state: &ServerState,
    request: &Request,
    subscribe_key: &str,
    channels: &[&str],
) -> Reply {
    if channels.is_empty() {
        return service_error(
            StatusCode::BAD_REQUEST,
            SERVICE,
            "Missing channel: name at least one channel in the path; channel groups are not supported",
        );
    }
    let cursor = match request.query_value("tt") {
        None | Some("0") => return cursor_reply(clock::next_timetoken(), &[]),
        Some(text) => match text.parse::<u64>() {
            Ok(cursor) => cursor,
            Err(_) => {
                return service_error(
                    StatusCode::BAD_REQUEST,
                    SERVICE,
                    "Invalid timetoken: tt must be a decimal integer",
                );
            }
        },
    };

    let deadline = tokio::time::Instant::now() + state.config.subscribe_hold;
    loop {
        // Registering for wake-ups before reading the events means an event
        // stored in between still wakes this request.
        let notified = state.store.changed().notified();
        tokio::pin!(notified);
        notified.as_mut().enable();

        let batch = state
            .store
            .events_after(subscribe_key, channels, cursor, MAX_ENVELOPES);
        if let Some(last_timetoken) = batch.last_timetoken {
            return cursor_reply(last_timetoken, &batch.envelopes);
        }

        tokio::select! {
            () = &mut notified => {}
            () = tokio::time::sleep_until(deadline) => return cursor_reply(cursor, &[]),
        }
    }
}
