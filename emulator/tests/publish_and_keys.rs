//! Publish (GET and POST) and the subscribe and publish key checks.

mod common;

use common::{PUB, SUB, encode, get, is_timetoken, list, post, start};
use pubnub_emulator::{Config, Emulator};

fn sent_timetoken(reply: &common::Reply) -> String {
    assert_eq!(reply.status, 200, "publish failed: {}", reply.body);
    let timetoken = reply.json()[2].as_str().unwrap().to_owned();
    assert_eq!(reply.body, format!(r#"[1,"Sent","{timetoken}"]"#));
    assert!(is_timetoken(&timetoken));
    timetoken
}

fn error_timetoken(reply: &common::Reply, status: u16, message: &str) {
    assert_eq!(reply.status, status, "body {}", reply.body);
    let timetoken = reply.json()[2].as_str().unwrap().to_owned();
    assert!(is_timetoken(&timetoken));
    assert_eq!(reply.body, format!(r#"[0,"{message}","{timetoken}"]"#));
}

#[test]
fn publish_get_returns_sent() {
    let emulator = start();

    let reply = get(
        &emulator,
        &format!(
            "/publish/{PUB}/{SUB}/0/ch/0/{}?uuid=user-1&seqn=1&store=1",
            encode(r#"{"text":"hi"}"#)
        ),
    );

    sent_timetoken(&reply);
    assert_eq!(
        reply.header("content-type"),
        Some("text/javascript; charset=\"UTF-8\"")
    );
}

#[test]
fn publish_post_returns_sent() {
    let emulator = start();

    let reply = post(
        &emulator,
        &format!("/publish/{PUB}/{SUB}/0/ch/0?uuid=user-1"),
        r#"{"text":"hi"}"#,
    );

    sent_timetoken(&reply);
}

#[test]
fn publish_timetokens_increase() {
    let emulator = start();

    let first = sent_timetoken(&get(&emulator, &format!("/publish/{PUB}/{SUB}/0/ch/0/1")));
    let second = sent_timetoken(&post(
        &emulator,
        &format!("/publish/{PUB}/{SUB}/0/ch/0"),
        "2",
    ));

    assert!(second.parse::<u64>().unwrap() > first.parse::<u64>().unwrap());
}

#[test]
fn publish_invalid_json_is_rejected() {
    let emulator = start();

    let by_get = get(
        &emulator,
        &format!("/publish/{PUB}/{SUB}/0/ch/0/{}", encode("{oops")),
    );
    let by_post = post(&emulator, &format!("/publish/{PUB}/{SUB}/0/ch/0"), "hello");
    let empty_post = post(&emulator, &format!("/publish/{PUB}/{SUB}/0/ch/0"), "");

    error_timetoken(&by_get, 400, "Invalid JSON");
    error_timetoken(&by_post, 400, "Invalid JSON");
    error_timetoken(&empty_post, 400, "Invalid JSON");
}

#[test]
fn publish_invalid_meta_is_rejected() {
    let emulator = start();

    let reply = get(
        &emulator,
        &format!("/publish/{PUB}/{SUB}/0/ch/0/1?meta={}", encode("{bad")),
    );

    error_timetoken(&reply, 400, "Invalid JSON");
}

#[test]
fn publish_over_32_kib_is_too_large() {
    let emulator = start();
    let fits = format!("\"{}\"", "a".repeat(32 * 1024 - 4));
    let too_large = format!("\"{}\"", "a".repeat(32 * 1024));

    let accepted = post(&emulator, &format!("/publish/{PUB}/{SUB}/0/ch/0"), &fits);
    let rejected_post = post(
        &emulator,
        &format!("/publish/{PUB}/{SUB}/0/ch/0"),
        &too_large,
    );
    let rejected_get = get(
        &emulator,
        &format!("/publish/{PUB}/{SUB}/0/ch/0/{}", encode(&too_large)),
    );

    sent_timetoken(&accepted);
    error_timetoken(&rejected_post, 413, "Message Too Large");
    error_timetoken(&rejected_get, 413, "Message Too Large");
}

#[test]
fn any_keys_accepted_by_default() {
    let emulator = start();

    let published = get(&emulator, "/publish/pub-any/sub-any/0/ch/0/1");
    let listed = get(
        &emulator,
        "/v1/message-actions/sub-whatever/channel/ch?uuid=u",
    );

    sent_timetoken(&published);
    assert_eq!(listed.status, 200);
}

#[test]
fn configured_publish_key_rejects_others() {
    let config = Config::default()
        .publish_key(PUB)
        .publish_key("pub-c-SECOND");
    let emulator = Emulator::start(config).unwrap();

    let wrong = get(&emulator, &format!("/publish/pub-c-WRONG/{SUB}/0/ch/0/1"));
    let wrong_post = post(
        &emulator,
        &format!("/publish/pub-c-WRONG/{SUB}/0/ch/0"),
        "1",
    );
    let first = get(&emulator, &format!("/publish/{PUB}/{SUB}/0/ch/0/1"));
    let second = get(&emulator, &format!("/publish/pub-c-SECOND/{SUB}/0/ch/0/1"));

    error_timetoken(&wrong, 400, "Invalid Key");
    error_timetoken(&wrong_post, 400, "Invalid Key");
    sent_timetoken(&first);
    sent_timetoken(&second);
}

#[test]
fn configured_subscribe_key_rejects_others() {
    let config = Config {
        subscribe_keys: vec![SUB.to_owned()],
        ..Config::default()
    };
    let emulator = Emulator::start(config).unwrap();
    let invalid = r#"{"status": 400, "error": {"source": "actions", "message": "Invalid Subkey"}}"#;

    let add = post(
        &emulator,
        "/v1/message-actions/sub-c-BOGUS/channel/ch/message/15610547826969050?uuid=user-1",
        r#"{"type":"reaction","value":"smile"}"#,
    );
    let remove = common::delete(
        &emulator,
        "/v1/message-actions/sub-c-BOGUS/channel/ch/message/15610547826969050/action/15610547826970050?uuid=user-1",
    );
    let publish = get(&emulator, &format!("/publish/{PUB}/sub-c-BOGUS/0/ch/0/1"));
    let accepted = list(&emulator, "ch", "");

    assert_eq!(add.status, 400);
    assert_eq!(add.body, invalid);
    assert_eq!(remove.status, 400);
    assert_eq!(remove.body, invalid);
    error_timetoken(&publish, 400, "Invalid Key");
    assert_eq!(accepted.status, 200);
}
