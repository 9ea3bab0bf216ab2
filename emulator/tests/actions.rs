//! Message Actions endpoints beyond the recorded cases: input checks, range
//! and limit rules, removal errors and channel name decoding.

mod common;

use common::{
    SUB, action_timetokens, add_action, add_ok, delete, encode, list, post, publish, start,
};

fn add_path(channel: &str, message_timetoken: &str, query: &str) -> String {
    format!(
        "/v1/message-actions/{SUB}/channel/{}/message/{message_timetoken}?{query}",
        encode(channel)
    )
}

fn remove_path(
    channel: &str,
    message_timetoken: &str,
    action_timetoken: &str,
    query: &str,
) -> String {
    format!(
        "/v1/message-actions/{SUB}/channel/{}/message/{message_timetoken}/action/{action_timetoken}?{query}",
        encode(channel)
    )
}

const INVALID: &str = r#"{"status": 400, "error": {"source": "actions", "message": "Request payload contained invalid input.", "details": ["#;

fn invalid_body(details: &str) -> String {
    format!("{INVALID}{details}]}}}}")
}

#[test]
fn add_without_type_is_invalid() {
    let emulator = start();

    let reply = post(
        &emulator,
        &add_path("ch", "15610547826969050", "uuid=user-1"),
        r#"{"value":"smile"}"#,
    );

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        invalid_body(r#"{"message": "Missing field", "location": "type", "locationType": "body"}"#)
    );
}

#[test]
fn add_without_type_and_value_lists_both() {
    let emulator = start();

    let reply = post(
        &emulator,
        &add_path("ch", "15610547826969050", "uuid=user-1"),
        "{}",
    );

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        invalid_body(
            r#"{"message": "Missing field", "location": "type", "locationType": "body"}, {"message": "Missing field", "location": "value", "locationType": "body"}"#
        )
    );
}

#[test]
fn add_with_empty_value_is_missing() {
    let emulator = start();

    let reply = post(
        &emulator,
        &add_path("ch", "15610547826969050", "uuid=user-1"),
        r#"{"type":"reaction","value":""}"#,
    );

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        invalid_body(
            r#"{"message": "Missing field", "location": "value", "locationType": "body"}"#
        )
    );
}

#[test]
fn add_with_number_value_is_invalid() {
    let emulator = start();

    let reply = post(
        &emulator,
        &add_path("ch", "15610547826969050", "uuid=user-1"),
        r#"{"type":"reaction","value":5}"#,
    );

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        invalid_body(
            r#"{"message": "Invalid value", "location": "value", "locationType": "body"}"#
        )
    );
}

#[test]
fn add_with_non_json_body_is_invalid() {
    let emulator = start();

    for body in ["not json", "", "[1,2]", "\"text\""] {
        let reply = post(
            &emulator,
            &add_path("ch", "15610547826969050", "uuid=user-1"),
            body,
        );

        assert_eq!(reply.status, 400, "body {body:?}");
        assert_eq!(
            reply.body,
            invalid_body(
                r#"{"message": "Invalid value", "location": "body", "locationType": "body"}"#
            ),
            "body {body:?}"
        );
    }
}

#[test]
fn add_tolerates_extra_body_keys() {
    let emulator = start();

    let reply = post(
        &emulator,
        &add_path("ch", "15610547826969050", "uuid=user-1"),
        r#"{"type":"reaction","value":"smile","user_id":"user-1"}"#,
    );

    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["data"]["value"], "smile");
}

#[test]
fn add_without_uuid_is_invalid() {
    let emulator = start();

    for query in ["pnsdk=x", "uuid=&pnsdk=x"] {
        let reply = post(
            &emulator,
            &add_path("ch", "15610547826969050", query),
            r#"{"type":"reaction","value":"smile"}"#,
        );

        assert_eq!(reply.status, 400, "query {query}");
        assert_eq!(
            reply.body,
            invalid_body(
                r#"{"message": "Missing field", "location": "uuid", "locationType": "query"}"#
            )
        );
    }
}

#[test]
fn add_with_bad_message_timetoken_is_invalid() {
    let emulator = start();

    for timetoken in ["abc", "-1", "123456789012345678901", "1.5"] {
        let reply = post(
            &emulator,
            &add_path("ch", timetoken, "uuid=user-1"),
            r#"{"type":"reaction","value":"smile"}"#,
        );

        assert_eq!(reply.status, 400, "timetoken {timetoken}");
        assert_eq!(
            reply.body,
            invalid_body(
                r#"{"message": "Invalid value", "location": "messageTimetoken", "locationType": "path"}"#
            )
        );
    }
}

#[test]
fn add_keeps_unicode_values() {
    let emulator = start();

    let reply = add_action(
        &emulator,
        "ch",
        "15610547826969050",
        "reaction",
        "👋",
        "üser",
    );

    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["data"]["value"], "👋");
    assert_eq!(reply.json()["data"]["uuid"], "üser");
}

#[test]
fn action_timetokens_strictly_increase() {
    let emulator = start();

    let added: Vec<u64> = (0..200)
        .map(|index| {
            add_ok(
                &emulator,
                "ch",
                "15610547826969050",
                "receipt",
                &index.to_string(),
            )
        })
        .map(|timetoken| timetoken.parse().unwrap())
        .collect();

    for pair in added.windows(2) {
        assert!(pair[1] > pair[0], "{} is not above {}", pair[1], pair[0]);
    }
}

#[test]
fn limit_above_100_returns_newest_100() {
    let emulator = start();
    let added: Vec<String> = (0..105)
        .map(|index| {
            add_ok(
                &emulator,
                "ch",
                "15610547826969050",
                "receipt",
                &index.to_string(),
            )
        })
        .collect();

    let capped = list(&emulator, "ch", "limit=500");
    let default = list(&emulator, "ch", "");
    let zero = list(&emulator, "ch", "limit=0");

    assert_eq!(action_timetokens(&capped), added[5..]);
    assert!(capped.json().get("more").is_none());
    assert_eq!(action_timetokens(&default), added[5..]);
    assert_eq!(action_timetokens(&zero), added[5..]);
}

#[test]
fn start_and_end_select_half_open_range() {
    let emulator = start();
    let added: Vec<String> = (0..6)
        .map(|index| {
            add_ok(
                &emulator,
                "ch",
                "15610547826969050",
                "receipt",
                &index.to_string(),
            )
        })
        .collect();

    let both = list(
        &emulator,
        "ch",
        &format!("start={}&end={}", added[4], added[1]),
    );
    let limited = list(
        &emulator,
        "ch",
        &format!("start={}&end={}&limit=2", added[4], added[1]),
    );
    let empty = list(
        &emulator,
        "ch",
        &format!("start={}&end={}", added[1], added[1]),
    );
    let inverted = list(
        &emulator,
        "ch",
        &format!("start={}&end={}", added[1], added[4]),
    );

    assert_eq!(action_timetokens(&both), added[1..4]);
    assert_eq!(action_timetokens(&limited), added[2..4]);
    assert!(action_timetokens(&empty).is_empty());
    assert!(action_timetokens(&inverted).is_empty());
}

#[test]
fn list_with_bad_range_is_invalid() {
    let emulator = start();

    for name in ["start", "end", "limit"] {
        let reply = list(&emulator, "ch", &format!("{name}=soon"));

        assert_eq!(reply.status, 400, "parameter {name}");
        assert_eq!(
            reply.body,
            invalid_body(&format!(
                r#"{{"message": "Invalid value", "location": "{name}", "locationType": "query"}}"#
            ))
        );
    }
}

#[test]
fn list_of_unknown_channel_is_empty() {
    let emulator = start();

    let reply = list(&emulator, "nobody-here", "");

    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, r#"{"status": 200, "data": []}"#);
}

#[test]
fn list_needs_no_uuid() {
    let emulator = start();
    add_ok(&emulator, "ch", "15610547826969050", "receipt", "read");

    let reply = common::get(&emulator, &format!("/v1/message-actions/{SUB}/channel/ch"));

    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["data"].as_array().unwrap().len(), 1);
}

#[test]
fn remove_by_other_user_is_rejected() {
    let emulator = start();
    let message = publish(&emulator, "ch", "\"hi\"");
    let action = add_ok(&emulator, "ch", &message, "receipt", "read");

    let reply = delete(
        &emulator,
        &remove_path("ch", &message, &action, "uuid=user-2"),
    );

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        r#"{"status": 400, "error": {"source": "actions", "message": "Not deleting message action: wrong uuid specified"}}"#
    );
    assert_eq!(action_timetokens(&list(&emulator, "ch", "")), [action]);
}

#[test]
fn remove_of_missing_action_is_rejected() {
    let emulator = start();
    let message = publish(&emulator, "ch", "\"hi\"");
    let action = add_ok(&emulator, "ch", &message, "receipt", "read");
    let expected = r#"{"status": 400, "error": {"source": "actions", "message": "No matching message actions to delete"}}"#;

    let unknown_action = delete(
        &emulator,
        &remove_path("ch", &message, "15610547826970050", "uuid=user-1"),
    );
    let other_message = delete(
        &emulator,
        &remove_path("ch", "15610547826969050", &action, "uuid=user-1"),
    );
    let other_channel = delete(
        &emulator,
        &remove_path("other", &message, &action, "uuid=user-1"),
    );

    for reply in [unknown_action, other_message, other_channel] {
        assert_eq!(reply.status, 400);
        assert_eq!(reply.body, expected);
    }
    assert_eq!(action_timetokens(&list(&emulator, "ch", "")), [action]);
}

#[test]
fn remove_twice_is_rejected() {
    let emulator = start();
    let message = publish(&emulator, "ch", "\"hi\"");
    let action = add_ok(&emulator, "ch", &message, "receipt", "read");
    assert_eq!(
        delete(
            &emulator,
            &remove_path("ch", &message, &action, "uuid=user-1")
        )
        .status,
        200
    );

    let again = delete(
        &emulator,
        &remove_path("ch", &message, &action, "uuid=user-1"),
    );

    assert_eq!(again.status, 400);
    assert_eq!(
        again.body,
        r#"{"status": 400, "error": {"source": "actions", "message": "No matching message actions to delete"}}"#
    );
}

#[test]
fn remove_without_uuid_is_invalid() {
    let emulator = start();

    let reply = delete(
        &emulator,
        &remove_path("ch", "15610547826969050", "15610547826970050", "pnsdk=x"),
    );

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        invalid_body(
            r#"{"message": "Missing field", "location": "uuid", "locationType": "query"}"#
        )
    );
}

#[test]
fn remove_with_bad_action_timetoken_is_invalid() {
    let emulator = start();

    let reply = delete(
        &emulator,
        &remove_path("ch", "15610547826969050", "x1", "uuid=user-1"),
    );

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        invalid_body(
            r#"{"message": "Invalid value", "location": "actionTimetoken", "locationType": "path"}"#
        )
    );
}

#[test]
fn readding_after_remove_succeeds() {
    let emulator = start();
    let message = publish(&emulator, "ch", "\"hi\"");
    let action = add_ok(&emulator, "ch", &message, "receipt", "read");
    assert_eq!(
        delete(
            &emulator,
            &remove_path("ch", &message, &action, "uuid=user-1")
        )
        .status,
        200
    );

    let again = add_action(&emulator, "ch", &message, "receipt", "read", "user-1");

    assert_eq!(again.status, 200);
}

#[test]
fn channel_names_are_percent_decoded() {
    let emulator = start();
    let message = "15610547826969050";
    let action = add_ok(&emulator, "my channel/#1", message, "receipt", "read");

    // The same name written with other escapes reaches the same channel.
    let listed = common::get(
        &emulator,
        &format!("/v1/message-actions/{SUB}/channel/%6Dy%20channel%2F%231?uuid=user-1"),
    );
    let plain = list(&emulator, "my channel", "");

    assert_eq!(action_timetokens(&listed), [action]);
    assert!(action_timetokens(&plain).is_empty());
}

#[test]
fn channels_are_separate() {
    let emulator = start();
    let first = add_ok(&emulator, "one", "15610547826969050", "receipt", "read");
    let second = add_ok(&emulator, "two", "15610547826969050", "receipt", "read");

    assert_eq!(action_timetokens(&list(&emulator, "one", "")), [first]);
    assert_eq!(action_timetokens(&list(&emulator, "two", "")), [second]);
}

#[test]
fn subscribe_keys_are_separate() {
    let emulator = start();
    add_ok(&emulator, "ch", "15610547826969050", "receipt", "read");

    let other_key = common::get(
        &emulator,
        "/v1/message-actions/sub-c-OTHER/channel/ch?uuid=user-1",
    );

    assert_eq!(other_key.status, 200);
    assert_eq!(other_key.body, r#"{"status": 200, "data": []}"#);
}
