//! Shared helpers: an HTTP client for the emulator on loopback and small
//! readers for reply bodies.

#![allow(
    dead_code,
    reason = "each test file uses a different subset of the helpers"
)]

pub mod process;

use pubnub_emulator::{Config, Emulator};
use serde_json::Value;

pub const SUB: &str = "sub-c-TEST";
pub const PUB: &str = "pub-c-TEST";

/// Status, headers and body text of one reply.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    /// Returns the value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Parses the body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {}", self.body))
    }
}

/// Starts an emulator with the default configuration.
pub fn start() -> Emulator {
    Emulator::start(Config::default()).expect("emulator starts")
}

/// Returns an agent that reports every status as a reply and, when the
/// emulator serves HTTPS, trusts its self-signed certificate.
fn agent(emulator: &Emulator) -> ureq::Agent {
    let mut config = ureq::Agent::config_builder().http_status_as_error(false);
    if let Some(pem) = emulator.certificate_pem() {
        config = config.tls_config(trusting(pem));
    }
    config.build().into()
}

/// TLS settings whose only trusted root is the certificate in `pem`.
pub fn trusting(pem: &str) -> ureq::tls::TlsConfig {
    let certificate = ureq::tls::Certificate::from_pem(pem.as_bytes()).expect("PEM certificate");
    ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::new_with_certs(&[certificate]))
        .build()
}

fn url(emulator: &Emulator, path_and_query: &str) -> String {
    format!("{}{}", emulator.base_url(), path_and_query)
}

fn collect(mut response: ureq::http::Response<ureq::Body>) -> Reply {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                value.to_str().unwrap_or("<not visible ASCII>").to_owned(),
            )
        })
        .collect();
    let body = response
        .body_mut()
        .read_to_string()
        .expect("reply body is UTF-8 text");
    Reply {
        status,
        headers,
        body,
    }
}

/// Sends `GET path_and_query` to the emulator.
pub fn get(emulator: &Emulator, path_and_query: &str) -> Reply {
    let response = agent(emulator)
        .get(url(emulator, path_and_query))
        .call()
        .expect("GET reaches the emulator");
    collect(response)
}

/// Sends `GET path_and_query` with one extra request header.
pub fn get_with_header(
    emulator: &Emulator,
    path_and_query: &str,
    name: &str,
    value: &str,
) -> Reply {
    let response = agent(emulator)
        .get(url(emulator, path_and_query))
        .header(name, value)
        .call()
        .expect("GET reaches the emulator");
    collect(response)
}

/// Sends `POST path_and_query` with a JSON body to the emulator.
pub fn post(emulator: &Emulator, path_and_query: &str, body: &str) -> Reply {
    let response = agent(emulator)
        .post(url(emulator, path_and_query))
        .header("Content-Type", "application/json")
        .send(body)
        .expect("POST reaches the emulator");
    collect(response)
}

/// Sends `DELETE path_and_query` to the emulator.
pub fn delete(emulator: &Emulator, path_and_query: &str) -> Reply {
    let response = agent(emulator)
        .delete(url(emulator, path_and_query))
        .call()
        .expect("DELETE reaches the emulator");
    collect(response)
}

/// Percent-encodes everything except `A-Z a-z 0-9 - _ .`, as PubNub clients
/// encode path segments.
pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Publishes a JSON message with GET and returns its timetoken.
pub fn publish(emulator: &Emulator, channel: &str, message: &str) -> String {
    let path = format!(
        "/publish/{PUB}/{SUB}/0/{}/0/{}?uuid=user-1",
        encode(channel),
        encode(message)
    );
    let reply = get(emulator, &path);
    assert_eq!(reply.status, 200, "publish failed: {}", reply.body);
    reply.json()[2]
        .as_str()
        .expect("timetoken string")
        .to_owned()
}

/// Adds an action as `uuid` and returns the reply.
pub fn add_action(
    emulator: &Emulator,
    channel: &str,
    message_timetoken: &str,
    action_type: &str,
    value: &str,
    uuid: &str,
) -> Reply {
    let path = format!(
        "/v1/message-actions/{SUB}/channel/{}/message/{message_timetoken}?uuid={}&pnsdk=PubNub-Test%2F1.0",
        encode(channel),
        encode(uuid)
    );
    let body = serde_json::json!({"type": action_type, "value": value}).to_string();
    post(emulator, &path, &body)
}

/// Adds an action that must succeed and returns its action timetoken.
pub fn add_ok(
    emulator: &Emulator,
    channel: &str,
    message_timetoken: &str,
    action_type: &str,
    value: &str,
) -> String {
    let reply = add_action(
        emulator,
        channel,
        message_timetoken,
        action_type,
        value,
        "user-1",
    );
    assert_eq!(reply.status, 200, "add failed: {}", reply.body);
    reply.json()["data"]["actionTimetoken"]
        .as_str()
        .expect("actionTimetoken string")
        .to_owned()
}

/// Lists actions on `channel` with an extra query (may be empty) and returns the reply.
pub fn list(emulator: &Emulator, channel: &str, query: &str) -> Reply {
    let separator = if query.is_empty() { "" } else { "&" };
    let path = format!(
        "/v1/message-actions/{SUB}/channel/{}?uuid=user-1{separator}{query}",
        encode(channel)
    );
    get(emulator, &path)
}

/// Returns the action timetokens of a list reply, in reply order.
pub fn action_timetokens(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, 200, "list failed: {}", reply.body);
    reply.json()["data"]
        .as_array()
        .expect("data is an array")
        .iter()
        .map(|action| action["actionTimetoken"].as_str().unwrap().to_owned())
        .collect()
}

/// Formats one action the way the emulator writes it in add and list replies.
pub fn action_text(
    action_type: &str,
    value: &str,
    uuid: &str,
    action_timetoken: &str,
    message_timetoken: &str,
) -> String {
    format!(
        r#"{{"type": "{action_type}", "value": "{value}", "uuid": "{uuid}", "actionTimetoken": "{action_timetoken}", "messageTimetoken": "{message_timetoken}"}}"#
    )
}

/// Tells whether `text` is a 17-digit timetoken.
pub fn is_timetoken(text: &str) -> bool {
    text.len() == 17 && text.bytes().all(|byte| byte.is_ascii_digit())
}
