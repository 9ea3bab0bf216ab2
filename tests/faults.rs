//! The Rust client against failures injected into the emulator's replies.

mod common;

use std::time::Duration;

use common::config_for;
use pubnub_actions::{Category, Client, Code, PageBounds};
use pubnub_emulator::{Emulator, Fault, FaultKind};

const MESSAGE_TT: u64 = 15610547826969050;

fn start() -> (Emulator, Client) {
    let emulator = Emulator::start(pubnub_emulator::Config::default()).unwrap();
    let client = Client::new(config_for(&emulator.origin())).unwrap();
    (emulator, client)
}

fn stored_count(client: &Client, channel: &str) -> usize {
    let page = client
        .get_message_actions(channel, PageBounds::default())
        .unwrap();
    page.into_result().unwrap().actions.len()
}

// RC-19 over HTTP: the action is stored and returned, but the status is an error.
#[test]
fn add_207_returns_stored_action() {
    let (emulator, client) = start();
    emulator
        .add_fault(Fault::new(FaultKind::EventNotPublished))
        .unwrap();
    let response = client
        .add_message_action("chat", MESSAGE_TT, "reaction", "wave")
        .unwrap();
    assert_eq!(response.status.code, Code::EventNotPublished);
    assert_eq!(response.status.category, Category::Unknown);
    assert_eq!(response.status.http_status, 207);
    assert!(response.status.is_error());
    assert_eq!(
        response.status.server_message.as_deref(),
        Some("Stored but failed to publish message action.")
    );
    let action = response.data.unwrap();
    assert_eq!(action.value, "wave");
    assert_eq!(stored_count(&client, "chat"), 1);
}

// RC-20 over HTTP: the action is removed, but the status is an error.
#[test]
fn remove_207_removes_action() {
    let (emulator, client) = start();
    let action = client
        .add_message_action("chat", MESSAGE_TT, "reaction", "wave")
        .unwrap()
        .into_result()
        .unwrap();
    emulator
        .add_fault(Fault::new(FaultKind::EventNotPublished))
        .unwrap();
    let response = client
        .remove_message_action("chat", MESSAGE_TT, action.action_timetoken)
        .unwrap();
    assert_eq!(response.status.code, Code::EventNotPublished);
    assert_eq!(response.status.http_status, 207);
    assert_eq!(
        response.status.server_message.as_deref(),
        Some("Deleted but failed to publish removed events.")
    );
    assert_eq!(stored_count(&client, "chat"), 0);
}

#[test]
fn rate_limit_carries_retry_after() {
    let (emulator, client) = start();
    emulator
        .add_fault(Fault::reply(429).header("Retry-After", "7"))
        .unwrap();
    let response = client
        .get_message_actions("chat", PageBounds::default())
        .unwrap();
    assert_eq!(response.status.code, Code::RateLimited);
    assert_eq!(response.status.category, Category::Unknown);
    assert_eq!(response.status.http_status, 429);
    assert_eq!(response.status.retry_after_seconds, Some(7));
    assert_eq!(
        response.status.server_message.as_deref(),
        Some("Too many requests.")
    );
}

#[test]
fn service_unavailable_is_server_error() {
    let (emulator, client) = start();
    emulator.add_fault(Fault::reply(503)).unwrap();
    let response = client
        .get_message_actions("chat", PageBounds::default())
        .unwrap();
    assert_eq!(response.status.code, Code::ServerError);
    assert_eq!(response.status.http_status, 503);
    assert_eq!(
        response.status.server_message.as_deref(),
        Some("Service Unavailable")
    );
}

#[test]
fn html_500_is_malformed() {
    let (emulator, client) = start();
    emulator.add_fault(Fault::reply(500)).unwrap();
    let response = client
        .add_message_action("chat", MESSAGE_TT, "reaction", "x")
        .unwrap();
    assert_eq!(response.status.code, Code::MalformedResponse);
    assert_eq!(response.status.category, Category::MalformedResponse);
    assert_eq!(response.status.http_status, 500);
    assert_eq!(
        stored_count(&client, "chat"),
        0,
        "a reply fault does not handle the request"
    );
}

#[test]
fn malformed_json_is_malformed() {
    let (emulator, client) = start();
    emulator
        .add_fault(Fault::new(FaultKind::MalformedJson))
        .unwrap();
    let response = client
        .get_message_actions("chat", PageBounds::default())
        .unwrap();
    assert_eq!(response.status.code, Code::MalformedResponse);
    assert_eq!(response.status.http_status, 200);
    assert_eq!(response.data, None);
}

#[test]
fn truncated_add_warns_change_may_apply() {
    let (emulator, client) = start();
    emulator.add_fault(Fault::new(FaultKind::Truncate)).unwrap();
    let response = client
        .add_message_action("chat", MESSAGE_TT, "reaction", "x")
        .unwrap();
    assert_eq!(response.status.code, Code::MalformedResponse);
    assert_eq!(response.status.http_status, 200);
    assert!(
        response
            .status
            .message
            .contains("check whether the change was applied"),
        "{}",
        response.status.message
    );
    assert_eq!(
        stored_count(&client, "chat"),
        1,
        "the truncate fault handles the request before cutting the reply"
    );
}

#[test]
fn closed_connection_is_connection_failure() {
    let (emulator, client) = start();
    emulator.add_fault(Fault::new(FaultKind::Close)).unwrap();
    let response = client
        .add_message_action("chat", MESSAGE_TT, "reaction", "x")
        .unwrap();
    assert_eq!(response.status.code, Code::ConnectionFailed);
    assert_eq!(response.status.category, Category::UnexpectedDisconnect);
    assert_eq!(response.status.http_status, 0);
    assert!(
        response
            .status
            .message
            .contains("check whether the change was applied"),
        "{}",
        response.status.message
    );
    assert_eq!(stored_count(&client, "chat"), 0);
}

#[test]
fn slow_reply_times_out_after_change() {
    let emulator = Emulator::start(pubnub_emulator::Config::default()).unwrap();
    let mut config = config_for(&emulator.origin());
    config.request_timeout = Duration::from_millis(300);
    let client = Client::new(config).unwrap();
    emulator
        .add_fault(Fault::delay(Duration::from_millis(2000)))
        .unwrap();
    let response = client
        .add_message_action("chat", MESSAGE_TT, "reaction", "x")
        .unwrap();
    assert_eq!(response.status.code, Code::Timeout);
    assert_eq!(response.status.category, Category::Timeout);
    assert!(
        response
            .status
            .message
            .contains("check whether the change was applied"),
        "{}",
        response.status.message
    );

    let page = client
        .get_message_actions("chat", PageBounds::default())
        .unwrap();
    assert_eq!(page.status.code, Code::Ok);
    assert!(
        !page.status.message.contains("check whether"),
        "{}",
        page.status.message
    );
    assert_eq!(
        page.data.unwrap().actions.len(),
        1,
        "the delay fault handled the add before the timeout"
    );
}
