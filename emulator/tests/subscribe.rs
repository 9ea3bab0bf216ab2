//! Subscribe long-poll: handshake, delivery of published messages and of
//! "added" and "removed" message action events, and the hold timeout.

mod common;

use std::time::Duration;

use common::{PUB, SUB, add_ok, delete, encode, get, is_timetoken, list, publish};
use pubnub_emulator::{Config, Emulator, Permissions};
use serde_json::{Value, json};

/// Hold time for tests whose long-poll must return empty.
const SHORT_HOLD: Duration = Duration::from_millis(200);

/// Hold time for tests that expect an event; a broken wake-up fails after it.
const LONG_HOLD: Duration = Duration::from_secs(30);

fn start_with_hold(hold: Duration) -> Emulator {
    Emulator::start(Config::default().subscribe_hold(hold)).unwrap()
}

fn subscribe(emulator: &Emulator, channels: &str, query: &str) -> common::Reply {
    get(
        emulator,
        &format!("/v2/subscribe/{SUB}/{channels}/0?uuid=user-2&pnsdk=x&{query}"),
    )
}

/// Runs the handshake and returns the cursor timetoken.
fn handshake(emulator: &Emulator, channels: &str) -> String {
    let reply = subscribe(emulator, channels, "tt=0");
    assert_eq!(reply.status, 200, "{}", reply.body);
    let cursor = reply.json()["t"]["t"].as_str().unwrap().to_owned();
    assert!(is_timetoken(&cursor));
    assert_eq!(
        reply.body,
        format!(r#"{{"t":{{"t":"{cursor}","r":41}},"m":[]}}"#)
    );
    cursor
}

fn cursor_of(reply: &common::Reply) -> String {
    reply.json()["t"]["t"].as_str().unwrap().to_owned()
}

fn envelopes(reply: &common::Reply) -> Vec<Value> {
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["m"].as_array().unwrap().clone()
}

#[test]
fn rc21_subscribe_delivers_added_event() {
    let emulator = start_with_hold(LONG_HOLD);
    let message = publish(&emulator, "test-channel", "\"hello\"");
    let cursor = handshake(&emulator, "test-channel");

    let reply = std::thread::scope(|scope| {
        let poll =
            scope.spawn(|| subscribe(&emulator, "test-channel", &format!("tr=41&tt={cursor}")));
        let action = add_ok(&emulator, "test-channel", &message, "custom", "test-value");
        (poll.join().unwrap(), action)
    });
    let (reply, action) = reply;

    assert_eq!(reply.status, 200);
    let event = cursor_of(&reply);
    assert!(is_timetoken(&event));
    assert_ne!(event, action);
    assert!(event.parse::<u64>().unwrap() > action.parse::<u64>().unwrap());
    assert_eq!(
        reply.body,
        format!(
            r#"{{"t":{{"t":"{event}","r":41}},"m":[{{"a":"5","f":0,"e":3,"i":"user-1","p":{{"t":"{event}","r":43}},"k":"{SUB}","c":"test-channel","d":{{"source":"actions","version":"1.0","event":"added","data":{{"type":"custom","value":"test-value","actionTimetoken":"{action}","messageTimetoken":"{message}"}}}}}}]}}"#
        )
    );
}

#[test]
fn rc22_subscribe_delivers_removed_event() {
    let emulator = start_with_hold(LONG_HOLD);
    let message = publish(&emulator, "test-channel", "\"hello\"");
    let action = add_ok(&emulator, "test-channel", &message, "receipt", "value2");
    let cursor = handshake(&emulator, "test-channel");

    let removed = delete(
        &emulator,
        &format!(
            "/v1/message-actions/{SUB}/channel/test-channel/message/{message}/action/{action}?uuid=user-1"
        ),
    );
    let reply = subscribe(&emulator, "test-channel", &format!("tr=41&tt={cursor}"));

    assert_eq!(removed.status, 200);
    assert_eq!(removed.body, r#"{"status": 200, "data": {}}"#);
    let event = cursor_of(&reply);
    assert_eq!(
        reply.body,
        format!(
            r#"{{"t":{{"t":"{event}","r":41}},"m":[{{"a":"5","f":0,"e":3,"i":"user-1","p":{{"t":"{event}","r":43}},"k":"{SUB}","c":"test-channel","d":{{"source":"actions","version":"1.0","event":"removed","data":{{"type":"receipt","value":"value2","actionTimetoken":"{action}","messageTimetoken":"{message}"}}}}}}]}}"#
        )
    );
    assert_eq!(
        list(&emulator, "test-channel", "limit=100").body,
        r#"{"status": 200, "data": []}"#
    );
}

#[test]
fn published_message_is_delivered() {
    let emulator = start_with_hold(LONG_HOLD);
    let cursor = handshake(&emulator, "chat");

    let published = get(
        &emulator,
        &format!(
            "/publish/{PUB}/{SUB}/0/chat/0/{}?uuid=user-1&meta={}&custom_message_type=text",
            encode(r#"{"text": "hi"}"#),
            encode(r#"{"lang":"en"}"#)
        ),
    );
    let timetoken = published.json()[2].as_str().unwrap().to_owned();
    let reply = subscribe(&emulator, "chat", &format!("tt={cursor}"));

    assert_eq!(
        reply.body,
        format!(
            r#"{{"t":{{"t":"{timetoken}","r":41}},"m":[{{"a":"5","f":0,"i":"user-1","p":{{"t":"{timetoken}","r":43}},"k":"{SUB}","c":"chat","d":{{"text":"hi"}},"u":{{"lang":"en"}},"cmt":"text"}}]}}"#
        )
    );
}

#[test]
fn waiting_poll_wakes_on_publish() {
    let emulator = start_with_hold(LONG_HOLD);
    let cursor = handshake(&emulator, "chat");

    let (reply, timetoken) = std::thread::scope(|scope| {
        let poll = scope.spawn(|| subscribe(&emulator, "chat", &format!("tt={cursor}")));
        // Give the poll a chance to start waiting; the result is the same if it has not.
        std::thread::sleep(Duration::from_millis(100));
        let timetoken = publish(&emulator, "chat", "\"wake\"");
        (poll.join().unwrap(), timetoken)
    });

    assert_eq!(cursor_of(&reply), timetoken);
    assert_eq!(envelopes(&reply).len(), 1);
    assert_eq!(envelopes(&reply)[0]["d"], "wake");
}

#[test]
fn unstored_message_is_still_delivered() {
    let emulator = start_with_hold(LONG_HOLD);
    let cursor = handshake(&emulator, "chat");
    let published = get(
        &emulator,
        &format!("/publish/{PUB}/{SUB}/0/chat/0/1?store=0"),
    );
    assert_eq!(published.status, 200);

    let reply = subscribe(&emulator, "chat", &format!("tt={cursor}"));

    assert_eq!(envelopes(&reply).len(), 1);
    assert_eq!(envelopes(&reply)[0]["d"], 1);
    assert!(envelopes(&reply)[0].get("i").is_none());
}

#[test]
fn empty_poll_returns_same_cursor() {
    let emulator = start_with_hold(SHORT_HOLD);
    let cursor = handshake(&emulator, "quiet");
    publish(&emulator, "other", "\"elsewhere\"");

    let reply = subscribe(&emulator, "quiet", &format!("tt={cursor}&tr=41"));

    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        format!(r#"{{"t":{{"t":"{cursor}","r":41}},"m":[]}}"#)
    );
}

#[test]
fn channels_merge_in_timetoken_order() {
    let emulator = start_with_hold(SHORT_HOLD);
    let cursor = handshake(&emulator, "a,b");
    let first = publish(&emulator, "a", "1");
    let second = publish(&emulator, "b", "2");
    let third = publish(&emulator, "a", "3");
    publish(&emulator, "c", "4");

    let reply = subscribe(&emulator, "a,b", &format!("tt={cursor}"));
    let after = subscribe(&emulator, "a,b", &format!("tt={}", cursor_of(&reply)));

    let delivered: Vec<(Value, Value)> = envelopes(&reply)
        .iter()
        .map(|envelope| (envelope["c"].clone(), envelope["p"]["t"].clone()))
        .collect();
    assert_eq!(
        delivered,
        [
            (json!("a"), json!(first)),
            (json!("b"), json!(second)),
            (json!("a"), json!(third.clone()))
        ]
    );
    assert_eq!(cursor_of(&reply), third);
    assert!(envelopes(&after).is_empty());
    assert_eq!(cursor_of(&after), third);
}

#[test]
fn reply_caps_at_100_envelopes() {
    let emulator = start_with_hold(SHORT_HOLD);
    let cursor = handshake(&emulator, "busy");
    let published: Vec<String> = (0..150)
        .map(|index| publish(&emulator, "busy", &index.to_string()))
        .collect();

    let first = subscribe(&emulator, "busy", &format!("tt={cursor}"));
    let second = subscribe(&emulator, "busy", &format!("tt={}", cursor_of(&first)));

    assert_eq!(envelopes(&first).len(), 100);
    assert_eq!(cursor_of(&first), published[99]);
    assert_eq!(envelopes(&second).len(), 50);
    assert_eq!(envelopes(&second)[0]["d"], 100);
    assert_eq!(cursor_of(&second), published[149]);
}

#[test]
fn encoded_channel_names_match() {
    let emulator = start_with_hold(SHORT_HOLD);
    let cursor = handshake(&emulator, &encode("my channel"));
    publish(&emulator, "my channel", "\"spaced\"");

    let reply = subscribe(&emulator, &encode("my channel"), &format!("tt={cursor}"));

    assert_eq!(envelopes(&reply).len(), 1);
    assert_eq!(envelopes(&reply)[0]["c"], "my channel");
}

#[test]
fn invalid_timetoken_is_rejected() {
    let emulator = start();

    let reply = subscribe(&emulator, "chat", "tt=later");

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        r#"{"message":"Invalid timetoken: tt must be a decimal integer","error":true,"service":"Subscribe","status":400}"#
    );
}

#[test]
fn missing_channel_is_rejected() {
    let emulator = start();

    let reply = subscribe(&emulator, ",", "tt=0&channel-group=cg1");

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        r#"{"message":"Missing channel: name at least one channel in the path; channel groups are not supported","error":true,"service":"Subscribe","status":400}"#
    );
}

#[test]
fn unknown_subscribe_key_is_rejected() {
    let emulator = Emulator::start(Config::default().subscribe_key(SUB)).unwrap();

    let reply = get(&emulator, "/v2/subscribe/sub-c-BOGUS/chat/0?tt=0");

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        r#"{"message":"Invalid Subscribe Key","error":true,"service":"Access Manager","status":400}"#
    );
}

#[test]
fn denied_channels_are_listed() {
    let config = Config::default()
        .grant("reader", "open", Permissions::READ)
        .grant("reader", "writable", Permissions::WRITE);
    let emulator = Emulator::start(config).unwrap();

    let denied = subscribe(&emulator, "open,writable,closed", "tt=0&auth=reader");
    let allowed = subscribe(&emulator, "open", "tt=0&auth=reader");

    assert_eq!(denied.status, 403);
    assert_eq!(
        denied.body,
        r#"{"message":"Forbidden","payload":{"channels":["writable","closed"]},"error":true,"service":"Access Manager","status":403}"#
    );
    assert_eq!(allowed.status, 200);
}

#[test]
fn drop_ends_pending_poll() {
    let emulator = start_with_hold(Duration::from_secs(280));
    let cursor = handshake(&emulator, "quiet");
    let url = format!(
        "http://{}/v2/subscribe/{SUB}/quiet/0?tt={cursor}",
        emulator.origin()
    );

    let poll = std::thread::spawn(move || ureq::get(url).call().map(|_| ()));
    // Give the poll a chance to arrive; it fails the same way if it has not.
    std::thread::sleep(Duration::from_millis(100));
    drop(emulator);

    assert!(poll.join().unwrap().is_err());
}

#[test]
fn pending_poll_does_not_block_others() {
    let emulator = start_with_hold(LONG_HOLD);
    let cursor = handshake(&emulator, "quiet");

    std::thread::scope(|scope| {
        let poll = scope.spawn(|| subscribe(&emulator, "quiet", &format!("tt={cursor}")));
        for _ in 0..20 {
            assert_eq!(get(&emulator, "/time/0").status, 200);
        }
        let timetoken = publish(&emulator, "quiet", "\"done\"");
        assert_eq!(cursor_of(&poll.join().unwrap()), timetoken);
    });
}

fn start() -> Emulator {
    start_with_hold(SHORT_HOLD)
}
