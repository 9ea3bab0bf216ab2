//! Secret-key mode: requests must carry a recent `timestamp` and a v2
//! `signature` over the raw path, the canonical query and the body.

mod common;

use common::{PUB, SUB, delete, get, post};
use pubnub_emulator::signature::{canonical_query, sign_v1, sign_v2};
use pubnub_emulator::{Config, Emulator};

const SECRET: &str = "sec-c-TEST";

fn start_signed() -> Emulator {
    let config = Config::default().publish_key(PUB).secret_key(SECRET);
    Emulator::start(config).unwrap()
}

fn now_seconds() -> i64 {
    let elapsed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(elapsed.as_secs()).unwrap()
}

/// Returns `path?query&timestamp=T&signature=S`, signed with `publish_key`.
fn signed_with(
    publish_key: &str,
    method: &str,
    path: &str,
    query: &str,
    body: &str,
    timestamp: i64,
) -> String {
    let query = format!("{query}&timestamp={timestamp}");
    let signature = sign_v2(
        SECRET,
        method,
        publish_key,
        path,
        &canonical_query(&query),
        body.as_bytes(),
    );
    format!("{path}?{query}&signature={signature}")
}

fn signed(method: &str, path: &str, query: &str, body: &str) -> String {
    signed_with(PUB, method, path, query, body, now_seconds())
}

fn add_path(message_timetoken: &str) -> String {
    format!("/v1/message-actions/{SUB}/channel/my%20channel/message/{message_timetoken}")
}

const ADD_BODY: &str = r#"{"type":"reaction","value":"smiley_face"}"#;

const WRONG_SIGNATURE: &str = r#"{"error": {"message": "Invalid signature", "source": "grant", "details": [{"message": "Client and server produced different signatures for the same inputs.", "location": "signature", "locationType": "query"}]}, "service": "Access Manager", "status": 403}"#;

#[test]
fn signed_add_list_remove_succeed() {
    let emulator = start_signed();
    let add = signed(
        "POST",
        &add_path("15610547826969050"),
        "auth=myAuth&pnsdk=PubNub-Rust%2F0.1.0&uuid=user-1",
        ADD_BODY,
    );

    let added = post(&emulator, &add, ADD_BODY);
    assert_eq!(added.status, 200, "{}", added.body);
    let action = added.json()["data"]["actionTimetoken"]
        .as_str()
        .unwrap()
        .to_owned();

    let list_path = format!("/v1/message-actions/{SUB}/channel/my%20channel");
    let listed = get(
        &emulator,
        &signed("GET", &list_path, "limit=10&uuid=user-1", ""),
    );
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert_eq!(listed.json()["data"][0]["actionTimetoken"], action.as_str());

    let remove_path = format!("{}/action/{action}", add_path("15610547826969050"));
    let removed = delete(
        &emulator,
        &signed("DELETE", &remove_path, "uuid=user-1", ""),
    );
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert_eq!(removed.body, r#"{"status": 200, "data": {}}"#);
}

#[test]
fn missing_timestamp_is_forbidden() {
    let emulator = start_signed();

    let reply = get(
        &emulator,
        &format!("/v1/message-actions/{SUB}/channel/ch?uuid=user-1"),
    );

    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.body,
        r#"{"error": {"message": "Invalid timestamp", "source": "grant", "details": [{"message": "Missing field", "location": "timestamp", "locationType": "query"}]}, "service": "Access Manager", "status": 403}"#
    );
}

#[test]
fn stale_or_future_timestamp_is_forbidden() {
    let emulator = start_signed();
    let path = format!("/v1/message-actions/{SUB}/channel/ch");
    let expected = r#"{"error": {"message": "Invalid timestamp", "source": "grant", "details": [{"message": "Timestamp must be a Unix time in seconds within 60 seconds of the server clock.", "location": "timestamp", "locationType": "query"}]}, "service": "Access Manager", "status": 403}"#;

    for offset in [-65, 65] {
        let url = signed_with(PUB, "GET", &path, "uuid=user-1", "", now_seconds() + offset);

        let reply = get(&emulator, &url);

        assert_eq!(reply.status, 403, "offset {offset}");
        assert_eq!(reply.body, expected, "offset {offset}");
    }
    let not_a_number = get(
        &emulator,
        &format!("{path}?uuid=user-1&timestamp=soon&signature=v2.x"),
    );
    assert_eq!(not_a_number.status, 403);
    assert_eq!(not_a_number.body, expected);
}

#[test]
fn timestamp_within_window_is_accepted() {
    let emulator = start_signed();
    let path = format!("/v1/message-actions/{SUB}/channel/ch");

    for offset in [-55, 55] {
        let url = signed_with(PUB, "GET", &path, "uuid=user-1", "", now_seconds() + offset);

        let reply = get(&emulator, &url);

        assert_eq!(reply.status, 200, "offset {offset}: {}", reply.body);
    }
}

#[test]
fn missing_signature_is_forbidden() {
    let emulator = start_signed();

    let reply = get(
        &emulator,
        &format!(
            "/v1/message-actions/{SUB}/channel/ch?uuid=user-1&timestamp={}",
            now_seconds()
        ),
    );

    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.body,
        r#"{"error": {"message": "Invalid signature", "source": "grant", "details": [{"message": "Missing field", "location": "signature", "locationType": "query"}]}, "service": "Access Manager", "status": 403}"#
    );
}

#[test]
fn wrong_signature_is_forbidden() {
    let emulator = start_signed();
    let path = format!("/v1/message-actions/{SUB}/channel/ch");

    let reply = get(
        &emulator,
        &format!(
            "{path}?uuid=user-1&timestamp={}&signature=v2.AAAA",
            now_seconds()
        ),
    );

    assert_eq!(reply.status, 403);
    assert_eq!(reply.body, WRONG_SIGNATURE);
}

#[test]
fn tampered_request_is_forbidden() {
    let emulator = start_signed();
    let path = add_path("15610547826969050");
    let url = signed("POST", &path, "uuid=user-1", ADD_BODY);

    let other_body = post(&emulator, &url, r#"{"type":"reaction","value":"frown"}"#);
    let other_query = post(
        &emulator,
        &url.replace("uuid=user-1", "uuid=user-2"),
        ADD_BODY,
    );
    let other_secret = {
        let query = format!("uuid=user-1&timestamp={}", now_seconds());
        let signature = sign_v2(
            "another-secret",
            "POST",
            PUB,
            &path,
            &canonical_query(&query),
            ADD_BODY.as_bytes(),
        );
        post(
            &emulator,
            &format!("{path}?{query}&signature={signature}"),
            ADD_BODY,
        )
    };

    for reply in [other_body, other_query, other_secret] {
        assert_eq!(reply.status, 403);
        assert_eq!(reply.body, WRONG_SIGNATURE);
    }
}

#[test]
fn signature_covers_raw_path() {
    let emulator = start_signed();
    let raw_path = format!("/v1/message-actions/{SUB}/channel/my%20channel");
    let query = format!("uuid=user-1&timestamp={}", now_seconds());
    let decoded_path_signature = sign_v2(
        SECRET,
        "GET",
        PUB,
        &format!("/v1/message-actions/{SUB}/channel/my channel"),
        &canonical_query(&query),
        b"",
    );

    let reply = get(
        &emulator,
        &format!("{raw_path}?{query}&signature={decoded_path_signature}"),
    );

    assert_eq!(reply.status, 403);
    assert_eq!(reply.body, WRONG_SIGNATURE);
}

#[test]
fn query_is_reencoded_before_checking() {
    let emulator = start_signed();
    let path = format!("/v1/message-actions/{SUB}/channel/ch");
    // The client sends `~` and `/` literally, and signs them as %7E and %2F.
    let sent_query = format!(
        "uuid=a~b&pnsdk=PubNub-Rust/0.1.0&timestamp={}",
        now_seconds()
    );
    let signature = sign_v2(
        SECRET,
        "GET",
        PUB,
        &path,
        &canonical_query(&sent_query),
        b"",
    );
    assert!(canonical_query(&sent_query).contains("uuid=a%7Eb"));

    let reply = get(
        &emulator,
        &format!("{path}?{sent_query}&signature={signature}"),
    );

    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[test]
fn any_configured_publish_key_signs() {
    let config = Config::default()
        .publish_key(PUB)
        .publish_key("pub-c-SECOND")
        .secret_key(SECRET);
    let emulator = Emulator::start(config).unwrap();
    let path = format!("/v1/message-actions/{SUB}/channel/ch");

    let url = signed_with(
        "pub-c-SECOND",
        "GET",
        &path,
        "uuid=user-1",
        "",
        now_seconds(),
    );
    let reply = get(&emulator, &url);

    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[test]
fn time_needs_no_signature() {
    let emulator = start_signed();

    let reply = get(&emulator, "/time/0");

    assert_eq!(reply.status, 200);
}

#[test]
fn key_check_runs_before_signature() {
    let config = Config::default()
        .subscribe_key(SUB)
        .publish_key(PUB)
        .secret_key(SECRET);
    let emulator = Emulator::start(config).unwrap();

    let reply = get(
        &emulator,
        "/v1/message-actions/sub-c-BOGUS/channel/ch?uuid=user-1",
    );

    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        r#"{"status": 400, "error": {"source": "actions", "message": "Invalid Subkey"}}"#
    );
}

#[test]
fn signed_publish_get_succeeds() {
    let emulator = start_signed();
    let path = format!("/publish/{PUB}/{SUB}/0/my_channel/0/%22hello%21%22");

    let reply = get(&emulator, &signed("GET", &path, "store=1&uuid=user-1", ""));
    let unsigned = get(&emulator, &path);

    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(unsigned.status, 403);
}

#[test]
fn publish_post_accepts_sdk_variants() {
    let emulator = start_signed();
    let path = format!("/publish/{PUB}/{SUB}/0/ch/0");
    let body = r#"{"text":"hi"}"#;
    let query = format!("uuid=user-1&timestamp={}", now_seconds());
    let canonical = canonical_query(&query);
    let variants = [
        sign_v2(SECRET, "POST", PUB, &path, &canonical, body.as_bytes()),
        sign_v2(SECRET, "GET", PUB, &path, &canonical, body.as_bytes()),
        sign_v2(SECRET, "GET", PUB, &path, &canonical, b""),
        sign_v1(SECRET, SUB, PUB, &path, &canonical),
    ];

    for signature in variants {
        let encoded: String = signature.replace('=', "%3D");
        let reply = post(
            &emulator,
            &format!("{path}?{query}&signature={encoded}"),
            body,
        );

        assert_eq!(reply.status, 200, "signature {signature}: {}", reply.body);
    }
}

#[test]
fn secret_without_publish_key_is_invalid() {
    let error = Emulator::start(Config::default().secret_key(SECRET)).unwrap_err();

    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert_eq!(
        error.to_string(),
        "a secret key needs at least one publish key, because signatures are computed over the publish key"
    );
}

#[test]
fn history_delete_needs_signature() {
    let emulator = start_signed();
    let path = format!("/v3/history/sub-key/{SUB}/channel/ch");

    let unsigned = delete(&emulator, &format!("{path}?uuid=user-1"));
    let wrong = delete(
        &emulator,
        &signed("DELETE", &path, "uuid=user-1", "").replace("uuid=user-1", "uuid=user-2"),
    );
    let good = delete(&emulator, &signed("DELETE", &path, "uuid=user-1", ""));

    assert_eq!(unsigned.status, 403);
    assert_eq!(
        unsigned.body,
        r#"{"error": {"message": "Invalid timestamp", "source": "grant", "details": [{"message": "Missing field", "location": "timestamp", "locationType": "query"}]}, "service": "Access Manager", "status": 403}"#
    );
    assert_eq!(wrong.status, 403);
    assert_eq!(wrong.body, WRONG_SIGNATURE);
    assert_eq!(good.status, 200);
    assert_eq!(
        good.body,
        r#"{"status": 200, "error": false, "error_message": ""}"#
    );
}
