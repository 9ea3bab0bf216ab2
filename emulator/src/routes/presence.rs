//! Presence requests that SDKs send around subscribe, accepted so that
//! subscribing and unsubscribing clients see success:
//!
//! - `GET /v2/presence/sub-key/{sub}/channel/{ch1,ch2}/heartbeat` returns
//!   `{"status": 200, "message": "OK", "service": "Presence"}`,
//! - `GET /v2/presence/sub-key/{sub}/channel/{ch1,ch2}/leave` returns
//!   `{"status": 200, "message": "OK", "action": "leave", "service": "Presence"}`.
//!
//! The bodies are those of mock replies in PubNub's JavaScript and Go SDK
//! tests. The emulator keeps no presence state and sends no presence events.

use hyper::StatusCode;
use serde::Serialize;

use super::endpoint::PresenceChange;
use crate::json::Layout;
use crate::reply::Reply;

#[derive(Serialize)]
struct PresenceBody {
    status: u16,
    message: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'static str>,
    service: &'static str,
}

/// Returns the success reply to a heartbeat or leave.
pub fn reply(change: PresenceChange) -> Reply {
    let body = PresenceBody {
        status: 200,
        message: "OK",
        action: (change == PresenceChange::Leave).then_some("leave"),
        service: "Presence",
    };
    Reply::json(StatusCode::OK, &body, Layout::Spaced)
}
