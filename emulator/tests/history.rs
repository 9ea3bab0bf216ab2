//! History with actions: stored messages of a channel with their actions.

mod common;

use common::{PUB, SUB, add_action, add_ok, delete, encode, get, publish, start};
use pubnub_emulator::{Config, Emulator, Permissions};
use serde_json::{Value, json};

fn history(emulator: &Emulator, channel: &str, query: &str) -> common::Reply {
    get(
        emulator,
        &format!(
            "/v3/history-with-actions/sub-key/{SUB}/channel/{}?{query}",
            encode(channel)
        ),
    )
}

fn message_timetokens(reply: &common::Reply, channel: &str) -> Vec<String> {
    assert_eq!(reply.status, 200, "history failed: {}", reply.body);
    match reply.json()["channels"].get(channel) {
        None => Vec::new(),
        Some(messages) => messages
            .as_array()
            .unwrap()
            .iter()
            .map(|message| message["timetoken"].as_str().unwrap().to_owned())
            .collect(),
    }
}

fn publish_with(emulator: &Emulator, channel: &str, message: &str, query: &str) -> String {
    let path = format!(
        "/publish/{PUB}/{SUB}/0/{channel}/0/{}?{query}",
        encode(message)
    );
    let reply = get(emulator, &path);
    assert_eq!(reply.status, 200, "publish failed: {}", reply.body);
    reply.json()[2].as_str().unwrap().to_owned()
}

#[test]
fn rc23_history_with_actions() {
    let emulator = start();
    let first = publish_with(
        &emulator,
        "test-channel",
        r#"{"messageIdx":"message: 0","time":1577918412}"#,
        "meta=%7B%22time%22:1577918412%7D&uuid=user-1",
    );
    let second = publish_with(
        &emulator,
        "test-channel",
        r#"{"messageIdx":"message: 1","time":1577918413}"#,
        "uuid=user-1",
    );
    let mut actions = Vec::new();
    for message in [&first, &second] {
        let added: Vec<String> = [
            ("receipt", "value2"),
            ("custom", "value3"),
            ("reaction", "value4"),
            ("receipt", "value5"),
        ]
        .iter()
        .map(|(action_type, value)| add_ok(&emulator, "test-channel", message, action_type, value))
        .collect();
        actions.push(added);
    }

    let reply = history(
        &emulator,
        "test-channel",
        "include_uuid=1&pnsdk=x&uuid=user-1&max=16&include_meta=1&include_message_type=1&include_custom_message_type=0",
    );

    assert_eq!(reply.status, 200);
    let action_object = |added: &[String]| {
        json!({
            "reaction": {"value4": [{"uuid": "user-1", "actionTimetoken": added[2]}]},
            "receipt": {
                "value5": [{"uuid": "user-1", "actionTimetoken": added[3]}],
                "value2": [{"uuid": "user-1", "actionTimetoken": added[0]}]
            },
            "custom": {"value3": [{"uuid": "user-1", "actionTimetoken": added[1]}]}
        })
    };
    let expected = json!({
        "status": 200,
        "channels": {"test-channel": [
            {"timetoken": first, "meta": {"time": 1577918412}, "uuid": "user-1",
             "message": {"messageIdx": "message: 0", "time": 1577918412}, "message_type": "",
             "actions": action_object(&actions[0])},
            {"timetoken": second, "meta": "", "uuid": "user-1",
             "message": {"messageIdx": "message: 1", "time": 1577918413}, "message_type": "",
             "actions": action_object(&actions[1])}
        ]},
        "error_message": "",
        "error": false
    });
    assert_eq!(reply.json(), expected);
    let first_entry_start = format!(
        r#"{{"status": 200, "channels": {{"test-channel": [{{"timetoken": "{first}", "meta": {{"time": 1577918412}}, "uuid": "user-1", "message": {{"messageIdx": "message: 0", "time": 1577918412}}, "message_type": "", "actions": {{"receipt": {{"value2": [{{"uuid": "user-1", "actionTimetoken": "{}"}}], "value5": "#,
        actions[0][0]
    );
    assert!(reply.body.starts_with(&first_entry_start), "{}", reply.body);
    assert!(
        reply
            .body
            .ends_with(r#"]}, "error_message": "", "error": false}"#),
        "{}",
        reply.body
    );
}

#[test]
fn message_without_actions_has_no_actions_key() {
    let emulator = start();
    let timetoken = publish(&emulator, "ch", r#""plain""#);

    let reply = history(&emulator, "ch", "");

    assert_eq!(
        reply.body,
        format!(
            r#"{{"status": 200, "channels": {{"ch": [{{"timetoken": "{timetoken}", "uuid": "user-1", "message": "plain", "message_type": ""}}]}}, "error_message": "", "error": false}}"#
        )
    );
}

#[test]
fn empty_channel_has_empty_channels() {
    let emulator = start();

    let reply = history(&emulator, "nothing", "");

    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        r#"{"status": 200, "channels": {}, "error_message": "", "error": false}"#
    );
}

#[test]
fn max_defaults_to_25_and_caps() {
    let emulator = start();
    let published: Vec<String> = (0..30)
        .map(|index| publish(&emulator, "ch", &index.to_string()))
        .collect();

    let default = history(&emulator, "ch", "");
    let capped = history(&emulator, "ch", "max=100");
    let zero = history(&emulator, "ch", "max=0");
    let five = history(&emulator, "ch", "max=5");
    let limit = history(&emulator, "ch", "limit=3");

    assert_eq!(message_timetokens(&default, "ch"), published[5..]);
    assert_eq!(message_timetokens(&capped, "ch"), published[5..]);
    assert_eq!(message_timetokens(&zero, "ch"), published[5..]);
    assert_eq!(message_timetokens(&five, "ch"), published[25..]);
    assert_eq!(message_timetokens(&limit, "ch"), published[27..]);
}

#[test]
fn start_exclusive_end_inclusive() {
    let emulator = start();
    let published: Vec<String> = (0..6)
        .map(|index| publish(&emulator, "ch", &index.to_string()))
        .collect();

    let both = history(
        &emulator,
        "ch",
        &format!("start={}&end={}", published[4], published[1]),
    );
    let start_only = history(&emulator, "ch", &format!("start={}", published[2]));
    let end_only = history(&emulator, "ch", &format!("end={}", published[3]));

    assert_eq!(message_timetokens(&both, "ch"), published[1..4]);
    assert_eq!(message_timetokens(&start_only, "ch"), published[..2]);
    assert_eq!(message_timetokens(&end_only, "ch"), published[3..]);
}

#[test]
fn include_flags_accept_words_and_digits() {
    let emulator = start();
    publish_with(
        &emulator,
        "ch",
        "1",
        "meta=%7B%22k%22:1%7D&uuid=user-1&custom_message_type=chat-text",
    );

    let with_words = history(
        &emulator,
        "ch",
        "include_meta=true&include_uuid=true&include_message_type=true&include_custom_message_type=true",
    );
    let without_words = history(
        &emulator,
        "ch",
        "include_meta=false&include_uuid=false&include_message_type=false&include_custom_message_type=false",
    );
    let without_digits = history(
        &emulator,
        "ch",
        "include_meta=0&include_uuid=0&include_message_type=0&include_custom_message_type=0",
    );

    let full = &with_words.json()["channels"]["ch"][0];
    assert_eq!(full["meta"], json!({"k": 1}));
    assert_eq!(full["uuid"], "user-1");
    assert_eq!(full["message_type"], "");
    assert_eq!(full["custom_message_type"], "chat-text");
    for reply in [without_words, without_digits] {
        let bare = reply.json()["channels"]["ch"][0].clone();
        let keys: Vec<&String> = bare.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["message", "timetoken"]);
    }
}

#[test]
fn invalid_query_values_are_rejected() {
    let emulator = start();
    let cases = [
        (
            "include_meta=yes",
            "Invalid value for include_meta: expected true, false, 1 or 0",
        ),
        (
            "include_uuid=2",
            "Invalid value for include_uuid: expected true, false, 1 or 0",
        ),
        (
            "max=many",
            "Invalid value for max: expected a decimal integer",
        ),
        (
            "start=-1",
            "Invalid value for start: expected a decimal integer",
        ),
        ("end=x", "Invalid value for end: expected a decimal integer"),
    ];

    for (query, message) in cases {
        let reply = history(&emulator, "ch", query);

        assert_eq!(reply.status, 400, "query {query}");
        assert_eq!(
            reply.body,
            format!(r#"{{"status": 400, "error": true, "error_message": "{message}"}}"#)
        );
    }
}

#[test]
fn unstored_message_is_not_in_history() {
    let emulator = start();
    publish_with(&emulator, "ch", "\"skipped\"", "store=0");
    let kept = publish_with(&emulator, "ch", "\"kept\"", "store=1");

    let reply = history(&emulator, "ch", "");

    assert_eq!(message_timetokens(&reply, "ch"), [kept]);
}

#[test]
fn posted_message_is_in_history() {
    let emulator = start();
    let reply = common::post(
        &emulator,
        &format!("/publish/{PUB}/{SUB}/0/ch/0?uuid=poster"),
        r#"{ "a" : [1, 2.50] }"#,
    );
    let timetoken = reply.json()[2].as_str().unwrap().to_owned();

    let listed = history(&emulator, "ch", "");

    assert_eq!(
        listed.body,
        format!(
            r#"{{"status": 200, "channels": {{"ch": [{{"timetoken": "{timetoken}", "uuid": "poster", "message": {{"a": [1, 2.50]}}, "message_type": ""}}]}}, "error_message": "", "error": false}}"#
        )
    );
}

#[test]
fn removed_action_leaves_history() {
    let emulator = start();
    let message = publish(&emulator, "ch", "\"hi\"");
    let action = add_ok(&emulator, "ch", &message, "receipt", "read");
    let removed = delete(
        &emulator,
        &format!(
            "/v1/message-actions/{SUB}/channel/ch/message/{message}/action/{action}?uuid=user-1"
        ),
    );
    assert_eq!(removed.status, 200);

    let reply = history(&emulator, "ch", "");

    assert!(
        reply.json()["channels"]["ch"][0].get("actions").is_none(),
        "{}",
        reply.body
    );
}

#[test]
fn users_share_one_value_list() {
    let emulator = start();
    let message = publish(&emulator, "ch", "\"hi\"");
    let first = add_action(&emulator, "ch", &message, "reaction", "smile", "user-1");
    let second = add_action(&emulator, "ch", &message, "reaction", "smile", "user-2");

    let reply = history(&emulator, "ch", "");

    let smiles = &reply.json()["channels"]["ch"][0]["actions"]["reaction"]["smile"];
    let expected: Value = json!([
        {"uuid": "user-1", "actionTimetoken": first.json()["data"]["actionTimetoken"]},
        {"uuid": "user-2", "actionTimetoken": second.json()["data"]["actionTimetoken"]}
    ]);
    assert_eq!(*smiles, expected);
}

#[test]
fn unknown_subscribe_key_is_rejected() {
    let emulator = Emulator::start(Config::default().subscribe_key(SUB)).unwrap();

    let reply = get(
        &emulator,
        "/v3/history-with-actions/sub-key/sub-c-BOGUS/channel/ch",
    );

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        r#"{"status": 400, "error": true, "error_message": "Invalid Subscribe Key"}"#
    );
}

#[test]
fn history_needs_read_access() {
    let config = Config::default()
        .grant("reader", "ch", Permissions::READ)
        .grant("writer", "ch", Permissions::WRITE);
    let emulator = Emulator::start(config).unwrap();

    let denied = history(&emulator, "ch", "auth=writer");
    let allowed = history(&emulator, "ch", "auth=reader");

    assert_eq!(denied.status, 403);
    assert_eq!(
        denied.body,
        r#"{"message":"Forbidden","payload":{"channels":["ch"]},"error":true,"service":"Access Manager","status":403}"#
    );
    assert_eq!(allowed.status, 200);
}

fn delete_history(emulator: &Emulator, channel: &str, query: &str) -> common::Reply {
    delete(
        emulator,
        &format!(
            "/v3/history/sub-key/{SUB}/channel/{}?uuid=user-1&{query}",
            encode(channel)
        ),
    )
}

#[test]
fn delete_history_range_and_bounds() {
    let emulator = start();
    let published: Vec<String> = (0..4)
        .map(|index| publish(&emulator, "ch", &index.to_string()))
        .collect();

    let range = delete_history(
        &emulator,
        "ch",
        &format!("start={}&end={}", published[0], published[2]),
    );
    let kept = message_timetokens(&history(&emulator, "ch", ""), "ch");

    assert_eq!(range.status, 200);
    assert_eq!(
        range.body,
        r#"{"status": 200, "error": false, "error_message": ""}"#
    );
    assert_eq!(kept, [published[0].clone(), published[3].clone()]);
}

#[test]
fn delete_history_single_message() {
    let emulator = start();
    let published: Vec<String> = (0..3)
        .map(|index| publish(&emulator, "ch", &index.to_string()))
        .collect();
    let target: u64 = published[1].parse().unwrap();

    let reply = delete_history(
        &emulator,
        "ch",
        &format!("start={}&end={target}", target + 1),
    );

    assert_eq!(reply.status, 200);
    assert_eq!(
        message_timetokens(&history(&emulator, "ch", ""), "ch"),
        [published[0].clone(), published[2].clone()]
    );
}

#[test]
fn delete_history_invalid_bounds() {
    let emulator = start();

    for (query, message) in [
        (
            "start=x",
            "Invalid value for start: expected a decimal integer",
        ),
        (
            "end=-5",
            "Invalid value for end: expected a decimal integer",
        ),
    ] {
        let reply = delete_history(&emulator, "ch", query);

        assert_eq!(reply.status, 400, "query {query}");
        assert_eq!(
            reply.body,
            format!(r#"{{"status": 400, "error": true, "error_message": "{message}"}}"#)
        );
    }
}

#[test]
fn delete_history_unknown_key() {
    let emulator = Emulator::start(Config::default().subscribe_key(SUB)).unwrap();

    let reply = delete(
        &emulator,
        "/v3/history/sub-key/sub-c-BOGUS/channel/ch?uuid=user-1",
    );

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        r#"{"status": 400, "error": true, "error_message": "Invalid Subscribe Key"}"#
    );
}

#[test]
fn delete_history_needs_write_access() {
    let config = Config::default()
        .grant("reader", "ch", Permissions::READ)
        .grant("writer", "ch", Permissions::WRITE);
    let emulator = Emulator::start(config).unwrap();

    let denied = delete_history(&emulator, "ch", "auth=reader");
    let allowed = delete_history(&emulator, "ch", "auth=writer");

    assert_eq!(denied.status, 403);
    assert_eq!(
        denied.body,
        r#"{"message":"Forbidden","payload":{"channels":["ch"]},"error":true,"service":"Access Manager","status":403}"#
    );
    assert_eq!(allowed.status, 200);
}

#[test]
fn delete_history_wrong_method() {
    let emulator = start();

    let reply = get(&emulator, &format!("/v3/history/sub-key/{SUB}/channel/ch"));

    assert_eq!(reply.status, 405);
    assert_eq!(
        reply.body,
        format!(
            r#"{{"status": 405, "error": true, "message": "Method GET is not allowed on /v3/history/sub-key/{SUB}/channel/ch"}}"#
        )
    );
}
