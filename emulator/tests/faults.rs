//! Fault injection: each fault kind over real HTTP, the matching rules, the
//! control endpoint `/__emulator/faults` and the `Emulator` methods.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{
    SUB, action_text, action_timetokens, add_action, add_ok, delete, get, list, post, publish,
    start,
};
use pubnub_emulator::{Config, Emulator, Fault, FaultKind};
use serde_json::json;

/// Status line, headers (lower-case names) and body bytes of a raw exchange.
struct RawReply {
    head: String,
    body: Vec<u8>,
}

impl RawReply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// Sends `request` (a whole HTTP/1.1 request) on a new connection and reads
/// until the server closes it.
fn raw_exchange(emulator: &Emulator, request: &str) -> RawReply {
    let mut stream = TcpStream::connect(emulator.addr()).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut received = Vec::new();
    stream.read_to_end(&mut received).unwrap();

    let Some(split) = received.windows(4).position(|window| window == b"\r\n\r\n") else {
        return RawReply {
            head: String::from_utf8(received).unwrap(),
            body: Vec::new(),
        };
    };
    RawReply {
        head: String::from_utf8(received[..split].to_vec()).unwrap(),
        body: received[split + 4..].to_vec(),
    }
}

fn add_path(channel: &str, message_timetoken: &str) -> String {
    format!("/v1/message-actions/{SUB}/channel/{channel}/message/{message_timetoken}?uuid=user-1")
}

fn faults_reply(emulator: &Emulator, body: &str) -> common::Reply {
    post(emulator, "/__emulator/faults", body)
}

/// Returns the subscribe events on `channel` after `cursor`. The caller
/// publishes a message last, so the long-poll returns at once.
fn events_after(emulator: &Emulator, channel: &str, cursor: &str) -> Vec<serde_json::Value> {
    let reply = get(
        emulator,
        &format!("/v2/subscribe/{SUB}/{channel}/0?uuid=user-2&tt={cursor}"),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["m"].as_array().unwrap().clone()
}

fn handshake(emulator: &Emulator, channel: &str) -> String {
    let reply = get(
        emulator,
        &format!("/v2/subscribe/{SUB}/{channel}/0?uuid=user-2&tt=0"),
    );
    reply.json()["t"]["t"].as_str().unwrap().to_owned()
}

#[test]
fn event_not_published_add_is_207() {
    let emulator = start();
    emulator
        .add_fault(Fault::new(FaultKind::EventNotPublished))
        .unwrap();
    let message = publish(&emulator, "ch", r#""hello""#);
    let cursor = handshake(&emulator, "ch");

    let reply = add_action(
        &emulator,
        "ch",
        &message,
        "reaction",
        "smiley_face",
        "user-1",
    );
    let marker = publish(&emulator, "ch", r#""marker""#);

    assert_eq!(reply.status, 207);
    let action_timetoken = reply.json()["data"]["actionTimetoken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        reply.body,
        format!(
            r#"{{"status": 207, "data": {}, "error": {{"message": "Stored but failed to publish message action.", "source": "actions"}}}}"#,
            action_text(
                "reaction",
                "smiley_face",
                "user-1",
                &action_timetoken,
                &message
            )
        )
    );
    assert_eq!(
        action_timetokens(&list(&emulator, "ch", "")),
        [action_timetoken]
    );
    let events = events_after(&emulator, "ch", &cursor);
    assert_eq!(events.len(), 1, "only the marker message: {events:?}");
    assert_eq!(events[0]["p"]["t"], marker.as_str());
    assert!(emulator.faults().is_empty());
}

#[test]
fn event_not_published_remove_is_207() {
    let emulator = start();
    let action = add_ok(&emulator, "ch", "15610547826969050", "reaction", "smile");
    let cursor = handshake(&emulator, "ch");
    emulator
        .add_fault(Fault::new(FaultKind::EventNotPublished).method("DELETE"))
        .unwrap();

    let reply = delete(
        &emulator,
        &format!(
            "/v1/message-actions/{SUB}/channel/ch/message/15610547826969050/action/{action}?uuid=user-1"
        ),
    );
    let marker = publish(&emulator, "ch", r#""marker""#);

    assert_eq!(reply.status, 207);
    assert_eq!(
        reply.body,
        r#"{"status": 207, "error": {"source": "actions", "message": "Deleted but failed to publish removed events."}}"#
    );
    assert!(action_timetokens(&list(&emulator, "ch", "")).is_empty());
    let events = events_after(&emulator, "ch", &cursor);
    assert_eq!(events.len(), 1, "only the marker message: {events:?}");
    assert_eq!(events[0]["p"]["t"], marker.as_str());
}

#[test]
fn event_not_published_skips_other_requests() {
    let emulator = start();
    emulator
        .add_fault(Fault::new(FaultKind::EventNotPublished))
        .unwrap();

    let listed = list(&emulator, "ch", "");
    let published = publish(&emulator, "ch", "1");
    let added = add_action(&emulator, "ch", &published, "receipt", "read", "user-1");

    assert_eq!(listed.status, 200);
    assert_eq!(added.status, 207);
}

#[test]
fn event_not_published_keeps_conflict() {
    let emulator = start();
    add_ok(&emulator, "ch", "100", "receipt", "read");
    emulator
        .add_fault(Fault::new(FaultKind::EventNotPublished))
        .unwrap();

    let again = add_action(&emulator, "ch", "100", "receipt", "read", "user-1");

    assert_eq!(again.status, 409);
    assert_eq!(
        again.body,
        r#"{"status": 409, "error": {"source": "actions", "message": "Action Already Added"}}"#
    );
    assert!(emulator.faults().is_empty(), "the matching add used it up");
}

#[test]
fn reply_400_with_given_body() {
    let emulator = start();
    let body = r#"{"status": 400, "error": {"source": "actions", "message": "Invalid Subkey"}}"#;
    emulator
        .add_fault(Fault::reply(400).body(body).method("POST"))
        .unwrap();

    let reply = add_action(&emulator, "ch", "100", "receipt", "read", "user-1");

    assert_eq!(reply.status, 400);
    assert_eq!(reply.body, body);
    assert_eq!(
        reply.header("content-type"),
        Some("text/javascript; charset=\"UTF-8\"")
    );
    assert!(
        action_timetokens(&list(&emulator, "ch", "")).is_empty(),
        "a reply fault does not handle the request"
    );
}

#[test]
fn reply_403_default_body() {
    let emulator = start();
    emulator.add_fault(Fault::reply(403)).unwrap();

    let reply = list(&emulator, "ch", "");

    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.body,
        r#"{"status": 403, "error": {"source": "actions", "message": "Supplied authorization key does not have the permissions required to perform this operation."}}"#
    );
}

#[test]
fn reply_429_has_retry_after() {
    let emulator = start();
    emulator.add_fault(Fault::reply(429)).unwrap();
    emulator
        .add_fault(Fault::reply(429).header("Retry-After", "7"))
        .unwrap();

    let first = list(&emulator, "ch", "");
    let second = list(&emulator, "ch", "");
    let third = list(&emulator, "ch", "");

    assert_eq!(first.status, 429);
    assert_eq!(
        first.body,
        r#"{"status": 429, "error": true, "message": "Too many requests."}"#
    );
    assert_eq!(first.header("retry-after"), Some("1"));
    assert_eq!(second.status, 429);
    assert_eq!(second.header("retry-after"), Some("7"));
    assert_eq!(third.status, 200);
    assert_eq!(third.header("retry-after"), None);
}

#[test]
fn reply_500_is_html() {
    let emulator = start();
    emulator.add_fault(Fault::reply(500)).unwrap();

    let reply = get(&emulator, "/time/0");

    assert_eq!(reply.status, 500);
    assert_eq!(reply.header("content-type"), Some("text/html"));
    assert_eq!(
        reply.body,
        "<html><head><title>500 Internal Server Error</title></head><body><h1>500 Internal Server Error</h1></body></html>\n"
    );
}

#[test]
fn reply_503_default_body() {
    let emulator = start();
    emulator.add_fault(Fault::reply(503)).unwrap();

    let reply = publish_raw(&emulator);

    assert_eq!(reply.status, 503);
    assert_eq!(
        reply.body,
        r#"{"message":"Service Unavailable","error":true,"service":"Balancer","status":503}"#
    );
}

fn publish_raw(emulator: &Emulator) -> common::Reply {
    get(
        emulator,
        &format!("/publish/pub-c-TEST/{SUB}/0/ch/0/%22hi%22?uuid=user-1"),
    )
}

#[test]
fn reply_other_status_default_body() {
    let emulator = start();
    emulator.add_fault(Fault::reply(418)).unwrap();

    let reply = get(&emulator, "/time/0");

    assert_eq!(reply.status, 418);
    assert_eq!(
        reply.body,
        r#"{"status": 418, "error": true, "message": "I'm a teapot"}"#
    );
}

#[test]
fn delay_still_replies() {
    let emulator = start();
    emulator
        .add_fault(Fault::delay(Duration::from_millis(200)))
        .unwrap();

    let reply = add_action(&emulator, "ch", "100", "receipt", "read", "user-1");

    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["data"]["value"], "read");
}

#[test]
fn delay_past_client_timeout_times_out() {
    let emulator = start();
    emulator
        .add_fault(Fault::delay(Duration::from_secs(60)).method("POST"))
        .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_millis(500)))
        .build()
        .into();

    let result = agent
        .post(format!("{}{}", emulator.base_url(), add_path("ch", "100")))
        .send(r#"{"type": "receipt", "value": "read"}"#);

    assert!(
        matches!(result, Err(ureq::Error::Timeout(_))),
        "result: {result:?}"
    );
    assert_eq!(
        action_timetokens(&list(&emulator, "ch", "")).len(),
        1,
        "the delayed add was handled before the wait"
    );
}

#[test]
fn close_sends_no_reply() {
    let emulator = start();
    emulator
        .add_fault(Fault::new(FaultKind::Close).method("POST"))
        .unwrap();
    let body = r#"{"type": "receipt", "value": "read"}"#;

    let reply = raw_exchange(
        &emulator,
        &format!(
            "POST {} HTTP/1.1\r\nHost: emulator\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            add_path("ch", "100"),
            body.len()
        ),
    );

    assert_eq!(reply.head, "");
    assert!(reply.body.is_empty());
    assert!(
        action_timetokens(&list(&emulator, "ch", "")).is_empty(),
        "a closed request is not handled"
    );
}

#[test]
fn close_is_a_client_error() {
    let emulator = start();
    emulator.add_fault(Fault::new(FaultKind::Close)).unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();

    let result = agent.get(format!("{}/time/0", emulator.base_url())).call();
    let next = get(&emulator, "/time/0");

    assert!(result.is_err(), "result: {result:?}");
    assert_eq!(next.status, 200);
}

#[test]
fn truncate_cuts_the_body() {
    let emulator = start();
    add_ok(&emulator, "ch", "100", "receipt", "read");
    let whole = list(&emulator, "ch", "").body;
    emulator
        .add_fault(Fault::new(FaultKind::Truncate).method("GET"))
        .unwrap();

    let reply = raw_exchange(
        &emulator,
        &format!(
            "GET /v1/message-actions/{SUB}/channel/ch?uuid=user-1 HTTP/1.1\r\nHost: emulator\r\n\r\n"
        ),
    );

    assert!(
        reply.head.starts_with("HTTP/1.1 200 OK\r\n"),
        "{}",
        reply.head
    );
    assert_eq!(
        reply.header("content-length"),
        Some(whole.len().to_string().as_str())
    );
    assert_eq!(reply.body, whole.as_bytes()[..whole.len() / 2]);
}

#[test]
fn truncate_still_handles_request() {
    let emulator = start();
    emulator
        .add_fault(Fault::new(FaultKind::Truncate).method("POST"))
        .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();

    let result = agent
        .post(format!("{}{}", emulator.base_url(), add_path("ch", "100")))
        .send(r#"{"type": "receipt", "value": "read"}"#)
        .and_then(|mut response| response.body_mut().read_to_string());

    assert!(result.is_err(), "result: {result:?}");
    assert_eq!(action_timetokens(&list(&emulator, "ch", "")).len(), 1);
}

#[test]
fn malformed_json_is_not_json() {
    let emulator = start();
    emulator
        .add_fault(Fault::new(FaultKind::MalformedJson))
        .unwrap();

    let reply = add_action(&emulator, "ch", "100", "receipt", "read", "user-1");

    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        r#"{"status": 200, "data": [{"type": "reaction", "val"#
    );
    assert!(serde_json::from_str::<serde_json::Value>(&reply.body).is_err());
    assert!(action_timetokens(&list(&emulator, "ch", "")).is_empty());
}

#[test]
fn fault_matches_method_and_prefix() {
    let emulator = start();
    emulator
        .add_fault(
            Fault::reply(503)
                .method("get")
                .path_prefix("/v1/message-actions/")
                .count(2),
        )
        .unwrap();

    let time = get(&emulator, "/time/0");
    let add = add_action(&emulator, "ch", "100", "receipt", "read", "user-1");
    let first = list(&emulator, "ch", "");
    let second = list(&emulator, "ch", "");
    let third = list(&emulator, "ch", "");

    assert_eq!(time.status, 200);
    assert_eq!(add.status, 200);
    assert_eq!(first.status, 503);
    assert_eq!(second.status, 503);
    assert_eq!(third.status, 200);
}

#[test]
fn control_endpoint_adds_lists_clears() {
    let emulator = start();

    let added = faults_reply(
        &emulator,
        r#"[{"kind": "reply", "status": 429, "headers": {"Retry-After": "3"}, "method": "GET", "path_prefix": "/time/", "count": 2},
            {"kind": "delay", "delay_ms": 10}]"#,
    );
    let limited = get(&emulator, "/time/0");
    let listed = get(&emulator, "/__emulator/faults");
    let cleared = delete(&emulator, "/__emulator/faults");
    let after = get(&emulator, "/__emulator/faults");
    let time = get(&emulator, "/time/0");

    assert_eq!(added.status, 200);
    assert_eq!(
        added.json(),
        json!({"faults": [
            {"id": 1, "kind": "reply", "method": "GET", "path_prefix": "/time/", "count": 2, "status": 429, "headers": {"Retry-After": "3"}},
            {"id": 2, "kind": "delay", "count": 1, "delay_ms": 10}
        ]})
    );
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("retry-after"), Some("3"));
    assert_eq!(
        listed.body,
        r#"{"faults":[{"id":1,"kind":"reply","method":"GET","path_prefix":"/time/","count":1,"status":429,"headers":{"Retry-After":"3"}},{"id":2,"kind":"delay","count":1,"delay_ms":10}]}"#
    );
    assert_eq!(cleared.status, 200);
    assert_eq!(cleared.body, r#"{"cleared":2}"#);
    assert_eq!(after.body, r#"{"faults":[]}"#);
    assert_eq!(time.status, 200);
}

#[test]
fn control_endpoint_single_object() {
    let emulator = start();

    let added = faults_reply(&emulator, r#"{"kind": "close"}"#);

    assert_eq!(added.status, 200);
    assert_eq!(
        added.body,
        r#"{"faults":[{"id":1,"kind":"close","count":1}]}"#
    );
}

#[test]
fn control_endpoint_ignores_faults() {
    let emulator = start();
    emulator.add_fault(Fault::new(FaultKind::Close)).unwrap();

    let listed = get(&emulator, "/__emulator/faults");

    assert_eq!(listed.status, 200);
    assert_eq!(
        listed.body,
        r#"{"faults":[{"id":1,"kind":"close","count":1}]}"#
    );
}

#[test]
fn invalid_faults_are_rejected() {
    let emulator = start();
    let cases = [
        (
            "not json",
            "invalid fault JSON: expected ident at line 1 column 2",
        ),
        ("42", "expected a fault object or an array of fault objects"),
        (
            r#"{"kind": "explode"}"#,
            "invalid fault at index 0: unknown variant `explode`, expected one of `reply`, `event_not_published`, `delay`, `close`, `truncate`, `malformed_json`",
        ),
        (
            r#"{"status": 500}"#,
            "invalid fault at index 0: missing field `kind`",
        ),
        (
            r#"{"kind": "reply", "stauts": 500}"#,
            "invalid fault at index 0: unknown field `stauts`, expected one of `kind`, `method`, `path_prefix`, `count`, `status`, `body`, `headers`, `delay_ms`",
        ),
        (
            r#"{"kind": "reply"}"#,
            "invalid fault at index 0: kind \"reply\" needs status",
        ),
        (
            r#"{"kind": "reply", "status": 99}"#,
            "invalid fault at index 0: status 99 is not between 200 and 599",
        ),
        (
            r#"{"kind": "reply", "status": 600}"#,
            "invalid fault at index 0: status 600 is not between 200 and 599",
        ),
        (
            r#"{"kind": "delay"}"#,
            "invalid fault at index 0: kind \"delay\" needs delay_ms",
        ),
        (
            r#"{"kind": "close", "status": 500}"#,
            "invalid fault at index 0: status applies only to kind \"reply\", not \"close\"",
        ),
        (
            r#"{"kind": "truncate", "body": "x"}"#,
            "invalid fault at index 0: body applies only to kind \"reply\", not \"truncate\"",
        ),
        (
            r#"{"kind": "delay", "delay_ms": 5, "headers": {"A": "b"}}"#,
            "invalid fault at index 0: headers applies only to kind \"reply\", not \"delay\"",
        ),
        (
            r#"{"kind": "close", "delay_ms": 5}"#,
            "invalid fault at index 0: delay_ms applies only to kind \"delay\", not \"close\"",
        ),
        (
            r#"{"kind": "close", "count": 0}"#,
            "invalid fault at index 0: count must be at least 1",
        ),
        (
            r#"{"kind": "close", "path_prefix": "v1/"}"#,
            "invalid fault at index 0: path_prefix \"v1/\" must start with \"/\"",
        ),
        (
            r#"{"kind": "close", "method": "GE T"}"#,
            "invalid fault at index 0: invalid method \"GE T\"",
        ),
        (
            r#"{"kind": "reply", "status": 500, "headers": {"Bad Name": "x"}}"#,
            "invalid fault at index 0: invalid header name \"Bad Name\"",
        ),
        (
            r#"{"kind": "reply", "status": 500, "headers": {"X-Test": "line\nbreak"}}"#,
            "invalid fault at index 0: invalid value \"line\\nbreak\" for header x-test",
        ),
        (
            r#"[{"kind": "close"}, {"kind": "delay"}]"#,
            "invalid fault at index 1: kind \"delay\" needs delay_ms",
        ),
    ];

    for (body, message) in cases {
        let reply = faults_reply(&emulator, body);
        assert_eq!(reply.status, 400, "body {body}: {}", reply.body);
        assert_eq!(
            reply.json(),
            json!({"status": 400, "error": true, "message": message}),
            "body {body}"
        );
    }
    assert_eq!(
        get(&emulator, "/__emulator/faults").body,
        r#"{"faults":[]}"#,
        "a rejected list adds none of its faults"
    );
}

#[test]
fn control_endpoint_unknown_path_and_method() {
    let emulator = start();

    let unknown = get(&emulator, "/__emulator/settings");
    let wrong_method = post(&emulator, "/__emulator", "");
    let patch = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent()
        .patch(format!("{}/__emulator/faults", emulator.base_url()))
        .send("{}")
        .unwrap();

    assert_eq!(unknown.status, 404);
    assert_eq!(
        unknown.body,
        r#"{"status": 404, "error": true, "message": "No endpoint at GET /__emulator/settings; the control endpoint is /__emulator/faults"}"#
    );
    assert_eq!(wrong_method.status, 404);
    assert_eq!(patch.status().as_u16(), 405);
    let mut patch = patch;
    assert_eq!(
        patch.body_mut().read_to_string().unwrap(),
        r#"{"status": 405, "error": true, "message": "Method PATCH is not allowed on /__emulator/faults; use GET, POST or DELETE"}"#
    );
}

#[test]
fn config_faults_apply_from_start() {
    let emulator = Emulator::start(Config::default().fault(Fault::reply(503).count(1)))
        .expect("emulator starts");

    let first = get(&emulator, "/time/0");
    let second = get(&emulator, "/time/0");

    assert_eq!(first.status, 503);
    assert_eq!(second.status, 200);
}

#[test]
fn invalid_config_fault_fails_start() {
    let config = Config::default().fault(Fault::new(FaultKind::Reply));

    let error = Emulator::start(config).expect_err("the reply fault has no status");

    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert_eq!(error.to_string(), "kind \"reply\" needs status");
}

#[test]
fn add_fault_rejects_invalid_fault() {
    let emulator = start();

    let error = emulator
        .add_fault(Fault::new(FaultKind::Close).count(0))
        .expect_err("count 0");

    assert_eq!(error.to_string(), "count must be at least 1");
    assert!(emulator.faults().is_empty());
}

#[test]
fn clear_faults_returns_count() {
    let emulator = start();
    emulator.add_fault(Fault::reply(500)).unwrap();
    emulator.add_fault(Fault::reply(503)).unwrap();

    assert_eq!(emulator.faults().len(), 2);
    assert_eq!(emulator.clear_faults(), 2);
    assert_eq!(emulator.clear_faults(), 0);
    assert_eq!(get(&emulator, "/time/0").status, 200);
}

#[test]
fn from_json_parses_fault() {
    let fault = Fault::from_json(
        r#"{"kind": "reply", "status": 429, "method": "POST", "count": 3, "headers": {"Retry-After": "2"}}"#,
    )
    .unwrap();

    assert_eq!(
        fault,
        Fault::reply(429)
            .method("POST")
            .count(3)
            .header("Retry-After", "2")
    );
}

#[test]
fn fault_flag_applies_from_start() {
    let mut running = common::process::Running::start(&[
        "--fault",
        r#"{"kind":"reply","status":503,"path_prefix":"/time/"}"#,
    ]);
    let origin = running.listening_origin();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();

    let first = agent.get(format!("http://{origin}/time/0")).call().unwrap();
    let second = agent.get(format!("http://{origin}/time/0")).call().unwrap();
    let stderr = running.stop();

    assert_eq!(first.status().as_u16(), 503);
    assert_eq!(second.status().as_u16(), 200);
    assert!(
        stderr.contains("[INFO ] fault 1 (reply) applies to GET /time/0\n"),
        "stderr: {stderr}"
    );
}

#[test]
fn invalid_fault_flag_is_rejected() {
    let output = std::process::Command::new(common::process::BINARY)
        .args(["--fault", r#"{"kind":"delay"}"#])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();

    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr.contains(
            r#"invalid value '{"kind":"delay"}' for '--fault <JSON>': kind "delay" needs delay_ms"#
        ),
        "stderr: {stderr}"
    );
}
