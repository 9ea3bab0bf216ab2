//! Replays of request/reply pairs recorded against the real PubNub service
//! (ObjC, Ruby and Python SDK test fixtures), checked against the emulator.
//! Cases whose replies come from SDK mock fixtures (207 partial success,
//! balancer errors) are produced with faults.
//! Each test name carries the number of the case in the project's list of
//! recorded cases. Server-assigned timetokens differ from the recordings, so
//! the tests compare the whole body with the assigned timetokens filled in.

mod common;

use common::{
    PUB, SUB, action_text, action_timetokens, add_action, add_ok, delete, get, get_with_header,
    is_timetoken, list, post, publish, start,
};
use pubnub_emulator::{Fault, FaultKind};

#[test]
fn rc01_add_action_success() {
    let emulator = start();
    let published = get(
        &emulator,
        &format!(
            "/publish/{PUB}/{SUB}/0/test-channel/0/%7B%22messageIdx%22:%22message:%200%22,%22time%22:1577918412%7D?meta=%7B%22time%22:1577918412%7D&pnsdk=PubNub-ObjC-iOS%2F4.x.x&seqn=1&uuid=user-1"
        ),
    );
    assert_eq!(published.status, 200);
    let message_timetoken = published.json()[2].as_str().unwrap().to_owned();
    assert_eq!(
        published.body,
        format!(r#"[1,"Sent","{message_timetoken}"]"#)
    );

    let reply = post(
        &emulator,
        &format!(
            "/v1/message-actions/{SUB}/channel/test-channel/message/{message_timetoken}?uuid=user-1&pnsdk=PubNub-ObjC-iOS%2F4.x.x"
        ),
        r#"{"type":"custom","value":"test-value"}"#,
    );

    assert_eq!(reply.status, 200);
    let data = &reply.json()["data"];
    let action_timetoken = data["actionTimetoken"].as_str().unwrap().to_owned();
    assert!(is_timetoken(&action_timetoken));
    assert!(action_timetoken.parse::<u64>().unwrap() > message_timetoken.parse::<u64>().unwrap());
    assert_eq!(data["uuid"], "user-1");
    assert_eq!(data["messageTimetoken"], message_timetoken.as_str());
    let expected = format!(
        r#"{{"status": 200, "data": {}}}"#,
        action_text(
            "custom",
            "test-value",
            "user-1",
            &action_timetoken,
            &message_timetoken
        )
    );
    assert_eq!(reply.body, expected);
    assert_eq!(
        reply.header("content-type"),
        Some("text/javascript; charset=\"UTF-8\"")
    );
    assert_eq!(
        reply.header("access-control-allow-methods"),
        Some("GET, POST, DELETE, OPTIONS")
    );
    assert_eq!(
        reply.header("access-control-allow-credentials"),
        Some("true")
    );
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(reply.header("age"), Some("0"));
}

#[test]
fn rc02_add_action_body_fields() {
    let emulator = start();

    let reply = post(
        &emulator,
        &format!(
            "/v1/message-actions/{SUB}/channel/test-channel/message/17579669463728661?uuid=user-1&pnsdk=x"
        ),
        r#"{"type":"custom","value":"test-value"}"#,
    );

    assert_eq!(reply.status, 200);
    let action_timetoken = reply.json()["data"]["actionTimetoken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        reply.body,
        format!(
            r#"{{"status": 200, "data": {{"type": "custom", "value": "test-value", "uuid": "user-1", "actionTimetoken": "{action_timetoken}", "messageTimetoken": "17579669463728661"}}}}"#
        )
    );
}

#[test]
fn rc03_add_on_unpublished_message() {
    let emulator = start();

    let reply = post(
        &emulator,
        &format!(
            "/v1/message-actions/{SUB}/channel/chat/message/16701562382648731?auth=AUTH-TEST&pnsdk=x&uuid=user-1"
        ),
        r#"{"type":"emotion","value":"smile"}"#,
    );

    assert_eq!(reply.status, 200);
    let action_timetoken = reply.json()["data"]["actionTimetoken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        reply.body,
        format!(
            r#"{{"status": 200, "data": {}}}"#,
            action_text(
                "emotion",
                "smile",
                "user-1",
                &action_timetoken,
                "16701562382648731"
            )
        )
    );
}

#[test]
fn rc04_duplicate_add_conflicts() {
    let emulator = start();
    let message_timetoken = publish(&emulator, "chat1", "\"Hello world\"");
    let path = format!(
        "/v1/message-actions/{SUB}/channel/chat1/message/{message_timetoken}?auth=AUTH-TEST&pnsdk=x&uuid=user-1"
    );
    let body = r#"{"type":"emotion","value":"smile"}"#;
    let first = post(&emulator, &path, body);
    assert_eq!(first.status, 200);

    let again = post(&emulator, &format!("{path}&l_msga=0.056"), body);

    assert_eq!(again.status, 409);
    assert_eq!(
        again.body,
        r#"{"status": 409, "error": {"source": "actions", "message": "Action Already Added"}}"#
    );
    assert_eq!(
        again.header("content-type"),
        Some("text/javascript; charset=\"UTF-8\"")
    );
}

#[test]
fn rc05_add_without_value_is_invalid() {
    let emulator = start();

    let reply = post(
        &emulator,
        &format!(
            "/v1/message-actions/{SUB}/channel/chat/message/16701562382648730?auth=AUTH-TEST&pnsdk=x&uuid=user-1"
        ),
        r#"{"type":"emotion"}"#,
    );

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        r#"{"status": 400, "error": {"source": "actions", "message": "Request payload contained invalid input.", "details": [{"message": "Missing field", "location": "value", "locationType": "body"}]}}"#
    );
}

#[test]
fn rc06_get_all_actions_ascending() {
    let emulator = start();
    let first_message = publish(&emulator, "test-channel", "\"M1\"");
    let second_message = publish(&emulator, "test-channel", "\"M2\"");
    let mut expected = Vec::new();
    for message in [&first_message, &second_message] {
        for (action_type, value) in [
            ("receipt", "value2"),
            ("custom", "value3"),
            ("reaction", "value4"),
        ] {
            let action_timetoken = add_ok(&emulator, "test-channel", message, action_type, value);
            expected.push(action_text(
                action_type,
                value,
                "user-1",
                &action_timetoken,
                message,
            ));
        }
    }

    let reply = list(&emulator, "test-channel", "limit=100&pnsdk=x");

    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        format!(r#"{{"status": 200, "data": [{}]}}"#, expected.join(", "))
    );
}

#[test]
fn rc07_limit_returns_newest_then_pages_back() {
    let emulator = start();
    let first_message = publish(&emulator, "test-channel", "\"first\"");
    let second_message = publish(&emulator, "test-channel", "\"second\"");
    let types = ["receipt", "custom", "reaction", "receipt", "custom"];
    let mut added = Vec::new();
    for message in [&first_message, &second_message] {
        for (index, action_type) in types.iter().enumerate() {
            let value = format!("value{}", index + 2);
            added.push(add_ok(
                &emulator,
                "test-channel",
                message,
                action_type,
                &value,
            ));
        }
    }

    let first_page = list(&emulator, "test-channel", "limit=5&pnsdk=x");
    assert_eq!(action_timetokens(&first_page), added[5..]);
    assert!(first_page.json().get("more").is_none());

    let start_timetoken = &action_timetokens(&first_page)[0];
    let second_page = list(
        &emulator,
        "test-channel",
        &format!("start={start_timetoken}&pnsdk=x&limit=5"),
    );
    assert_eq!(action_timetokens(&second_page), added[..5]);
    assert!(second_page.json().get("more").is_none());
}

fn add_eight(emulator: &pubnub_emulator::Emulator, channel: &str) -> Vec<String> {
    let message = publish(emulator, channel, "\"Hello\"");
    (0..8)
        .map(|index| {
            add_ok(
                emulator,
                channel,
                &message,
                "emotion",
                &format!("smile{index}"),
            )
        })
        .collect()
}

#[test]
fn rc09_end_only_is_inclusive() {
    let emulator = start();
    let added = add_eight(&emulator, "get-chat4");

    let reply = list(
        &emulator,
        "get-chat4",
        &format!("auth=AUTH-TEST&end={}&l_msga=0.061&pnsdk=x", added[2]),
    );

    assert_eq!(action_timetokens(&reply), added[2..]);
}

#[test]
fn rc12_start_only_is_exclusive() {
    let emulator = start();
    let added = add_eight(&emulator, "get-chat3");

    let reply = list(
        &emulator,
        "get-chat3",
        &format!("auth=AUTH-TEST&l_msga=0.056&pnsdk=x&start={}", added[5]),
    );

    assert_eq!(action_timetokens(&reply), added[..5]);
}

#[test]
fn rc13_no_parameters_returns_all() {
    let emulator = start();
    let added = add_eight(&emulator, "get-chat1");

    let reply = list(
        &emulator,
        "get-chat1",
        "auth=AUTH-TEST&l_msga=0.048&pnsdk=x",
    );

    assert_eq!(action_timetokens(&reply), added);
    assert!(reply.json().get("more").is_none());
}

#[test]
fn rc14_remove_then_list_is_empty() {
    let emulator = start();
    let message = publish(&emulator, "test-channel", "\"hello\"");
    let action = add_ok(&emulator, "test-channel", &message, "receipt", "value2");
    let before = list(&emulator, "test-channel", "limit=100");
    assert_eq!(action_timetokens(&before), std::slice::from_ref(&action));

    let removed = delete(
        &emulator,
        &format!(
            "/v1/message-actions/{SUB}/channel/test-channel/message/{message}/action/{action}?uuid=user-1&pnsdk=x"
        ),
    );

    assert_eq!(removed.status, 200);
    assert_eq!(removed.body, r#"{"status": 200, "data": {}}"#);
    let after = list(&emulator, "test-channel", "limit=100");
    assert_eq!(after.status, 200);
    assert_eq!(after.body, r#"{"status": 200, "data": []}"#);
}

#[test]
fn rc17_unknown_subscribe_key_is_invalid() {
    let config = pubnub_emulator::Config::default().subscribe_key(SUB);
    let emulator = pubnub_emulator::Emulator::start(config).unwrap();

    let reply = get(
        &emulator,
        "/v1/message-actions/sub-c-BOGUS/channel/chat?auth=AUTH-TEST&limit=100&pnsdk=x&uuid=user-1",
    );

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        r#"{"status": 400, "error": {"source": "actions", "message": "Invalid Subkey"}}"#
    );
}

#[test]
fn rc26_time_returns_bare_number() {
    let emulator = start();

    let reply = get_with_header(&emulator, "/time/0", "Accept-Encoding", "identity");

    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/javascript; charset=\"UTF-8\"")
    );
    let digits = reply
        .body
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .expect("body is one bracketed number");
    assert!(
        is_timetoken(digits),
        "not a 17-digit timetoken: {}",
        reply.body
    );
    assert_eq!(reply.header("content-length"), Some("19"));
}

#[test]
fn rc26_publish_invalid_key() {
    let config = pubnub_emulator::Config::default()
        .publish_key(PUB)
        .subscribe_key(SUB);
    let emulator = pubnub_emulator::Emulator::start(config).unwrap();

    let reply = get(
        &emulator,
        &format!("/publish/bogus/{SUB}/0/ch1/0/%22hey%22"),
    );

    assert_eq!(reply.status, 400);
    let timetoken = reply.json()[2].as_str().unwrap().to_owned();
    assert!(is_timetoken(&timetoken));
    assert_eq!(reply.body, format!(r#"[0,"Invalid Key","{timetoken}"]"#));
}

#[test]
fn rc04_other_user_may_add_same_action() {
    let emulator = start();
    let message = publish(&emulator, "chat1", "\"Hello world\"");
    assert_eq!(
        add_action(&emulator, "chat1", &message, "emotion", "smile", "user-1").status,
        200
    );

    let reply = add_action(&emulator, "chat1", &message, "emotion", "smile", "user-2");

    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["data"]["uuid"], "user-2");
}

#[test]
fn rc19_add_stored_event_not_published() {
    let emulator = start();
    emulator
        .add_fault(Fault::new(FaultKind::EventNotPublished))
        .unwrap();

    let reply = post(
        &emulator,
        &format!(
            "/v1/message-actions/{SUB}/channel/TestChannel/message/15610547826969050?uuid=user-1"
        ),
        r#"{"type":"reaction","value":"smiley_face"}"#,
    );

    assert_eq!(reply.status, 207);
    let action_timetoken = reply.json()["data"]["actionTimetoken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(is_timetoken(&action_timetoken));
    assert_eq!(
        reply.body,
        format!(
            r#"{{"status": 207, "data": {{"type": "reaction", "value": "smiley_face", "uuid": "user-1", "actionTimetoken": "{action_timetoken}", "messageTimetoken": "15610547826969050"}}, "error": {{"message": "Stored but failed to publish message action.", "source": "actions"}}}}"#
        )
    );
    assert_eq!(
        action_timetokens(&list(&emulator, "TestChannel", "")),
        [action_timetoken],
        "the action is stored"
    );
}

#[test]
fn rc20_remove_done_event_not_published() {
    let emulator = start();
    let action = add_ok(
        &emulator,
        "TestChannel",
        "15610547826969050",
        "reaction",
        "smiley_face",
    );
    emulator
        .add_fault(Fault::new(FaultKind::EventNotPublished).method("DELETE"))
        .unwrap();

    let reply = delete(
        &emulator,
        &format!(
            "/v1/message-actions/{SUB}/channel/TestChannel/message/15610547826969050/action/{action}?uuid=user-1"
        ),
    );

    assert_eq!(reply.status, 207);
    assert_eq!(
        reply.body,
        r#"{"status": 207, "error": {"source": "actions", "message": "Deleted but failed to publish removed events."}}"#
    );
    assert!(
        action_timetokens(&list(&emulator, "TestChannel", "")).is_empty(),
        "the action is removed"
    );
}

#[test]
fn rc26_subscribe_access_denied() {
    let config = pubnub_emulator::Config::default().grant(
        "AUTH-TEST",
        "permitted-channel",
        pubnub_emulator::Permissions::READ_WRITE,
    );
    let emulator = pubnub_emulator::Emulator::start(config).unwrap();

    let reply = get(
        &emulator,
        &format!("/v2/subscribe/{SUB}/not-permitted-channel/0?tt=0&uuid=user-1&auth=AUTH-TEST"),
    );

    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.body,
        r#"{"message":"Forbidden","payload":{"channels":["not-permitted-channel"]},"error":true,"service":"Access Manager","status":403}"#
    );
}

#[test]
fn rc26_history_delete_cleans_up() {
    let emulator = start();
    let message = publish(&emulator, "test-channel", r#""hello""#);
    let action = add_ok(&emulator, "test-channel", &message, "receipt", "value2");

    let reply = delete(
        &emulator,
        &format!(
            "/v3/history/sub-key/{SUB}/channel/test-channel?uuid=user-1&pnsdk=PubNub-ObjC-iOS%2F4.x.x"
        ),
    );
    let history = get(
        &emulator,
        &format!("/v3/history-with-actions/sub-key/{SUB}/channel/test-channel?uuid=user-1"),
    );

    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        r#"{"status": 200, "error": false, "error_message": ""}"#
    );
    assert_eq!(
        history.body,
        r#"{"status": 200, "channels": {}, "error_message": "", "error": false}"#
    );
    assert_eq!(
        action_timetokens(&list(&emulator, "test-channel", "")),
        [action],
        "deleting messages keeps their actions"
    );
}

#[test]
fn rc27_balancer_uri_too_long() {
    let emulator = start();
    emulator.add_fault(Fault::reply(414)).unwrap();

    let reply = get(
        &emulator,
        &format!("/publish/{PUB}/{SUB}/0/ch/0/%22long%22"),
    );

    assert_eq!(reply.status, 414);
    assert_eq!(
        reply.body,
        r#"{"message":"Request URI Too Long","error":true,"service":"Balancer","status":414}"#
    );
}

#[test]
fn rc27_service_unavailable_504() {
    let emulator = start();
    let recorded =
        r#"{"service":"Access Manager","status":504,"error":true,"message":"Service Unavailable"}"#;
    emulator
        .add_fault(Fault::reply(504).body(recorded))
        .unwrap();

    let reply = list(&emulator, "ch", "");

    assert_eq!(reply.status, 504);
    assert_eq!(reply.body, recorded);
    assert_eq!(
        reply.header("content-type"),
        Some("text/javascript; charset=\"UTF-8\"")
    );
}
