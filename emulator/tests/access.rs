//! Access rules: auth keys granted read or write per channel.

mod common;

use common::{PUB, SUB, delete, get, post};
use pubnub_emulator::signature::{canonical_query, sign_v2};
use pubnub_emulator::{AccessRules, Config, Emulator, Permissions};

const ACTIONS_FORBIDDEN: &str = r#"{"status": 403, "error": {"source": "actions", "message": "Supplied authorization key does not have the permissions required to perform this operation."}}"#;

fn start_with_rules() -> Emulator {
    let config = Config::default()
        .grant("auth-rw", "chat", Permissions::READ_WRITE)
        .grant("auth-r", "chat", Permissions::READ)
        .grant("auth-w", "chat", Permissions::WRITE)
        .grant("auth-any", "*", Permissions::READ_WRITE);
    Emulator::start(config).unwrap()
}

fn add(emulator: &Emulator, channel: &str, auth: &str) -> common::Reply {
    post(
        emulator,
        &format!(
            "/v1/message-actions/{SUB}/channel/{channel}/message/15610547826969050?uuid=user-1{auth}"
        ),
        r#"{"type":"reaction","value":"smile"}"#,
    )
}

fn list(emulator: &Emulator, channel: &str, auth: &str) -> common::Reply {
    get(
        emulator,
        &format!("/v1/message-actions/{SUB}/channel/{channel}?uuid=user-1{auth}"),
    )
}

fn remove(emulator: &Emulator, channel: &str, action: &str, auth: &str) -> common::Reply {
    delete(
        emulator,
        &format!(
            "/v1/message-actions/{SUB}/channel/{channel}/message/15610547826969050/action/{action}?uuid=user-1{auth}"
        ),
    )
}

fn assert_forbidden(reply: &common::Reply) {
    assert_eq!(reply.status, 403, "body {}", reply.body);
    assert_eq!(reply.body, ACTIONS_FORBIDDEN);
}

#[test]
fn rc18_denied_add_get_remove() {
    let emulator = start_with_rules();
    let added = add(&emulator, "chat", "&auth=auth-rw");
    assert_eq!(added.status, 200);
    let action = added.json()["data"]["actionTimetoken"]
        .as_str()
        .unwrap()
        .to_owned();

    assert_forbidden(&add(&emulator, "chat", "&auth=auth-r"));
    assert_forbidden(&list(&emulator, "chat", "&auth=auth-w"));
    assert_forbidden(&remove(&emulator, "chat", &action, "&auth=auth-r"));
}

#[test]
fn granted_access_is_allowed() {
    let emulator = start_with_rules();

    let added = add(&emulator, "chat", "&auth=auth-w");
    let listed = list(&emulator, "chat", "&auth=auth-r");
    let action = added.json()["data"]["actionTimetoken"]
        .as_str()
        .unwrap()
        .to_owned();
    let removed = remove(&emulator, "chat", &action, "&auth=auth-rw");

    assert_eq!(added.status, 200);
    assert_eq!(listed.status, 200);
    assert_eq!(listed.json()["data"].as_array().unwrap().len(), 1);
    assert_eq!(removed.status, 200);
}

#[test]
fn missing_or_unknown_auth_is_denied() {
    let emulator = start_with_rules();

    assert_forbidden(&list(&emulator, "chat", ""));
    assert_forbidden(&list(&emulator, "chat", "&auth="));
    assert_forbidden(&list(&emulator, "chat", "&auth=auth-unknown"));
}

#[test]
fn grant_is_per_channel() {
    let emulator = start_with_rules();

    assert_forbidden(&list(&emulator, "other", "&auth=auth-rw"));
    assert_forbidden(&add(&emulator, "other", "&auth=auth-rw"));
}

#[test]
fn wildcard_grants_every_channel() {
    let emulator = start_with_rules();

    assert_eq!(add(&emulator, "anything", "&auth=auth-any").status, 200);
    assert_eq!(list(&emulator, "else", "&auth=auth-any").status, 200);
}

#[test]
fn publish_denied_names_channel() {
    let emulator = start_with_rules();

    let denied = get(
        &emulator,
        &format!("/publish/{PUB}/{SUB}/0/chat/0/1?auth=auth-r"),
    );
    let allowed = get(
        &emulator,
        &format!("/publish/{PUB}/{SUB}/0/chat/0/1?auth=auth-w"),
    );

    assert_eq!(denied.status, 403);
    assert_eq!(
        denied.body,
        r#"{"message":"Forbidden","payload":{"channels":["chat"]},"error":true,"service":"Access Manager","status":403}"#
    );
    assert_eq!(allowed.status, 200);
}

#[test]
fn empty_rules_deny_everything() {
    let emulator = Emulator::start(Config::default().access_rules(AccessRules::new())).unwrap();

    assert_forbidden(&list(&emulator, "chat", "&auth=anything"));
    assert_eq!(get(&emulator, "/time/0").status, 200);
}

#[test]
fn rules_load_from_file() {
    let path = std::env::temp_dir().join(format!(
        "pubnub-emulator-access-{}.json",
        std::process::id()
    ));
    std::fs::write(&path, r#"{"file-auth": {"chat": {"read": true}}}"#).unwrap();
    let rules = AccessRules::from_file(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let emulator = Emulator::start(Config::default().access_rules(rules)).unwrap();

    assert_eq!(list(&emulator, "chat", "&auth=file-auth").status, 200);
    assert_forbidden(&add(&emulator, "chat", "&auth=file-auth"));
}

#[test]
fn unreadable_rules_file_is_reported() {
    let path = std::env::temp_dir().join("pubnub-emulator-no-such-access-file.json");

    let error = AccessRules::from_file(&path).unwrap_err();

    assert_eq!(
        error,
        format!(
            "reading the access file {} failed: No such file or directory (os error 2)",
            path.display()
        )
    );
}

#[test]
fn invalid_rules_file_is_reported() {
    let path = std::env::temp_dir().join(format!(
        "pubnub-emulator-bad-access-{}.json",
        std::process::id()
    ));
    std::fs::write(&path, r#"{"k": {"chat": {"read": "yes"}}}"#).unwrap();

    let error = AccessRules::from_file(&path).unwrap_err();
    std::fs::remove_file(&path).unwrap();

    assert_eq!(
        error,
        format!(
            "invalid access rules: invalid type: string \"yes\", expected a boolean at line 1 column 29 in {}",
            path.display()
        )
    );
}

#[test]
fn valid_signature_skips_access_rules() {
    let config = Config::default()
        .publish_key(PUB)
        .secret_key("sec-c-TEST")
        .grant("auth-r", "chat", Permissions::READ);
    let emulator = Emulator::start(config).unwrap();
    let path = format!("/v1/message-actions/{SUB}/channel/chat/message/15610547826969050");
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let query = format!("uuid=user-1&timestamp={timestamp}");
    let body = r#"{"type":"reaction","value":"smile"}"#;
    let signature = sign_v2(
        "sec-c-TEST",
        "POST",
        PUB,
        &path,
        &canonical_query(&query),
        body.as_bytes(),
    );

    let reply = post(
        &emulator,
        &format!("{path}?{query}&signature={signature}"),
        body,
    );

    assert_eq!(reply.status, 200, "{}", reply.body);
}
