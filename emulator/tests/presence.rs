//! Presence heartbeat and leave, which SDKs send around subscribe.

mod common;

use common::{SUB, get, post, start};
use pubnub_emulator::{Config, Emulator, Permissions};

#[test]
fn heartbeat_returns_ok() {
    let emulator = start();

    let reply = get(
        &emulator,
        &format!(
            "/v2/presence/sub-key/{SUB}/channel/ch1,ch2/heartbeat?heartbeat=300&state=%7B%7D&uuid=user-1"
        ),
    );

    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        r#"{"status": 200, "message": "OK", "service": "Presence"}"#
    );
}

#[test]
fn leave_returns_ok() {
    let emulator = start();

    let reply = get(
        &emulator,
        &format!("/v2/presence/sub-key/{SUB}/channel/ch1/leave?uuid=user-1"),
    );

    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        r#"{"status": 200, "message": "OK", "action": "leave", "service": "Presence"}"#
    );
}

#[test]
fn presence_unknown_key_is_rejected() {
    let emulator = Emulator::start(Config::default().subscribe_key(SUB)).unwrap();

    let reply = get(
        &emulator,
        "/v2/presence/sub-key/sub-c-BOGUS/channel/ch1/leave?uuid=user-1",
    );

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        r#"{"message":"Invalid Subscribe Key","error":true,"service":"Presence","status":400}"#
    );
}

#[test]
fn presence_needs_read_access() {
    let config = Config::default().grant("reader", "ch1", Permissions::READ);
    let emulator = Emulator::start(config).unwrap();
    let path = format!("/v2/presence/sub-key/{SUB}/channel/ch1,ch2/heartbeat?uuid=user-1");

    let denied = get(&emulator, &format!("{path}&auth=reader"));

    assert_eq!(denied.status, 403);
    assert_eq!(
        denied.body,
        r#"{"message":"Forbidden","payload":{"channels":["ch2"]},"error":true,"service":"Access Manager","status":403}"#
    );
}

#[test]
fn presence_other_paths_are_unknown() {
    let emulator = start();

    let other = get(
        &emulator,
        &format!("/v2/presence/sub-key/{SUB}/channel/ch1/state"),
    );
    let posted = post(
        &emulator,
        &format!("/v2/presence/sub-key/{SUB}/channel/ch1/leave"),
        "",
    );

    assert_eq!(other.status, 404);
    assert_eq!(posted.status, 405);
    assert_eq!(
        posted.body,
        format!(
            r#"{{"status": 405, "error": true, "message": "Method POST is not allowed on /v2/presence/sub-key/{SUB}/channel/ch1/leave"}}"#
        )
    );
}
