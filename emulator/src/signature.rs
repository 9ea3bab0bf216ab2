//! PubNub request signatures (the "v2" scheme of Access Manager), used when
//! the emulator runs with a secret key.
//!
//! The string to sign is `METHOD\npublish_key\npath\ncanonical_query\nbody`:
//! the upper-case method, the publish key, the path exactly as sent (still
//! percent-encoded), the canonical query and the raw body (empty for GET and
//! DELETE). The signature is `v2.` followed by the URL-safe base64 of
//! HMAC-SHA256 over that string with the secret key, without `=` padding.
//! Source: PubNub REST API docs, "Access Manager signature", and the test
//! vectors of the PubNub JavaScript and Go SDKs checked below.

use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha2::Sha256;

use crate::request::parse_query;

/// Bytes percent-encoded in canonical query values: all but `A-Z a-z 0-9 - _ .`.
const QUERY_VALUE_SET: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

/// Builds the canonical query from a raw query string: every parameter except
/// `signature`, sorted by name (then value) in byte order, each value decoded
/// and re-encoded so only `A-Z a-z 0-9 - _ .` stay literal.
pub fn canonical_query(raw_query: &str) -> String {
    let mut pairs: Vec<(String, String)> = parse_query(raw_query)
        .into_iter()
        .filter(|(name, _)| name != "signature")
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, QUERY_VALUE_SET)))
        .collect::<Vec<_>>()
        .join("&")
}

fn hmac_sha256(secret_key: &str, message: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret_key.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// Computes the v2 signature (`v2.` + unpadded URL-safe base64) of one request.
pub fn sign_v2(
    secret_key: &str,
    method: &str,
    publish_key: &str,
    raw_path: &str,
    canonical_query: &str,
    body: &[u8],
) -> String {
    let mut message = Vec::with_capacity(raw_path.len() + canonical_query.len() + body.len() + 64);
    for part in [method, publish_key, raw_path, canonical_query] {
        message.extend_from_slice(part.as_bytes());
        message.push(b'\n');
    }
    message.extend_from_slice(body);
    let digest = hmac_sha256(secret_key, &message);
    format!("v2.{}", URL_SAFE_NO_PAD.encode(digest))
}

/// Computes the legacy v1 signature that SDKs still send on `POST /publish`:
/// `subscribe_key\npublish_key\npath\ncanonical_query`, with no method and no
/// body, as padded URL-safe base64 without a prefix.
pub fn sign_v1(
    secret_key: &str,
    subscribe_key: &str,
    publish_key: &str,
    raw_path: &str,
    canonical_query: &str,
) -> String {
    let message = format!("{subscribe_key}\n{publish_key}\n{raw_path}\n{canonical_query}");
    URL_SAFE.encode(hmac_sha256(secret_key, message.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vectors from the PubNub JavaScript SDK's access and grant-token tests,
    /// the Go SDK's `TestSignatureV2` and the Rust SDK's middleware test.
    #[test]
    fn vector_v1_js_audit_channel() {
        let query =
            "channel=ch1&pnsdk=PubNub-JS-Nodejs%2FsuchJavascript&timestamp=1317427200&uuid=myUUID";
        let signature = sign_v2(
            "mySecretKey",
            "GET",
            "myPublishKey",
            "/v2/auth/audit/sub-key/mySubscribeKey",
            query,
            b"",
        );
        assert_eq!(signature, "v2.I7AFqanrAAtwVfvLHyKECTWw7UcZmwbRnwENpXdGB9E");
    }

    #[test]
    fn vector_v2_js_audit_channel_group() {
        let query = "channel-group=cg1&pnsdk=PubNub-JS-Nodejs%2FsuchJavascript&timestamp=1317427200&uuid=myUUID";
        let signature = sign_v2(
            "mySecretKey",
            "GET",
            "myPublishKey",
            "/v2/auth/audit/sub-key/mySubscribeKey",
            query,
            b"",
        );
        assert_eq!(signature, "v2.2hdDeYpF_Hoo4XLK2CMlZApcLin5lJxh6vsKMQnTet8");
    }

    #[test]
    fn vector_v3_js_grant_token() {
        let body = r#"{"ttl":1440,"permissions":{"resources":{"channels":{},"groups":{},"uuids":{"user1":1},"users":{},"spaces":{}},"patterns":{"channels":{},"groups":{},"uuids":{".*":1},"users":{},"spaces":{}},"meta":{}}}"#;
        let signature = sign_v2(
            "mySecretKey",
            "POST",
            "myPublishKey",
            "/v3/pam/mySubscribeKey/grant",
            "pnsdk=PubNub-JS-Nodejs%2FtestVersion&timestamp=1571360790&uuid=myUUID",
            body.as_bytes(),
        );
        assert_eq!(signature, "v2.A1ldFjcfAiD0rw7-kFKKwY5j0Mpq1R5u8JDeej7P3jo");
    }

    #[test]
    fn vector_v4_go_grant_unicode() {
        let body = "{\n  \"ttl\": 1440,\n  \"permissions\": {\n    \"resources\" : {\n      \"channels\": {\n        \"inbox-jay\": 3\n      },\n      \"groups\": {},\n      \"users\": {},\n      \"spaces\": {}\n    },\n    \"patterns\" : {\n      \"channels\": {},\n      \"groups\": {},\n      \"users\": {},\n      \"spaces\": {}\n    },\n    \"meta\": {\n      \"user-id\": \"jay@example.com\",\n      \"contains-unicode\": \"The \u{1F4A9} test.\"\n    }\n  }\n}";
        let signature = sign_v2(
            "wMfbo9G0xVUG8yfTfYw5qIdfJkTd7A",
            "POST",
            "demo",
            "/v3/pam/demo/grant",
            "PoundsSterling=%C2%A313.37&timestamp=123456789",
            body.as_bytes(),
        );
        assert_eq!(signature, "v2.k80LsDMD-sImA8rCBj-ntRKhZ8mSjHY8Ivngt9W3Yc4");
    }

    #[test]
    fn vector_v5_rust_publish() {
        let signature = sign_v2(
            "secKey",
            "GET",
            "pubKey",
            "/publish/pubKey/subKey/0/my_channel/0/%22hello%21%22",
            "pnsdk=PubNub-Rust&store=1&timestamp=1679642098&ttl=10&uuid=userId",
            b"",
        );
        assert_eq!(signature, "v2.AHl5lMpzyT4qcvvlqaszCjTUqU6dPb10a4_XSaYCNIQ");
    }

    /// Vectors computed with the same algorithm for the three actions
    /// requests; they tie the client's signer to this verifier.
    #[test]
    fn vector_d1_add_action() {
        let signature = sign_v2(
            "sec-c-TEST",
            "POST",
            "pub-c-TEST",
            "/v1/message-actions/sub-c-TEST/channel/my%20channel/message/15610547826969050",
            "auth=myAuth&pnsdk=PubNub-Rust%2F0.1.0&timestamp=1700000000&uuid=user-1",
            br#"{"type":"reaction","value":"smiley_face"}"#,
        );
        assert_eq!(signature, "v2.VpESiB6W0DVVVtAc7slIwPPTufpC_yhCPY_penCaXpI");
    }

    #[test]
    fn vector_d2_get_actions() {
        let signature = sign_v2(
            "sec-c-TEST",
            "GET",
            "pub-c-TEST",
            "/v1/message-actions/sub-c-TEST/channel/ch1",
            "limit=10&pnsdk=PubNub-Rust%2F0.1.0&start=15610547826970050&timestamp=1700000000&uuid=user-1",
            b"",
        );
        assert_eq!(signature, "v2.IzapHFChxsvJaFE_T359YeASMzWW8tnlqMqjV3oV9l4");
    }

    #[test]
    fn vector_d3_remove_action() {
        let signature = sign_v2(
            "sec-c-TEST",
            "DELETE",
            "pub-c-TEST",
            "/v1/message-actions/sub-c-TEST/channel/ch1/message/15610547826969050/action/15610547826970050",
            "pnsdk=PubNub-Rust%2F0.1.0&timestamp=1700000000&uuid=user-1",
            b"",
        );
        assert_eq!(signature, "v2.IutplHSC2MPA-JIj136gOldIFDn35dOUbqfWeKgDyu4");
    }

    #[test]
    fn canonical_query_sorts_and_reencodes() {
        let raw = "uuid=user-1&timestamp=1700000000&signature=v2.abc&pnsdk=PubNub-Rust/0.1.0&auth=a~b%20c*";
        assert_eq!(
            canonical_query(raw),
            "auth=a%7Eb%20c%2A&pnsdk=PubNub-Rust%2F0.1.0&timestamp=1700000000&uuid=user-1"
        );
    }

    #[test]
    fn canonical_query_encodes_utf8() {
        assert_eq!(
            canonical_query("PoundsSterling=%C2%A313.37"),
            "PoundsSterling=%C2%A313.37"
        );
        assert_eq!(
            canonical_query("PoundsSterling=\u{a3}13.37"),
            "PoundsSterling=%C2%A313.37"
        );
    }

    #[test]
    fn canonical_query_sorts_repeated_names_by_value() {
        assert_eq!(canonical_query("b=2&a=1&b=1"), "a=1&b=1&b=2");
    }

    #[test]
    fn canonical_query_of_signed_vector_matches() {
        let raw = "pnsdk=PubNub-Rust%2F0.1.0&start=15610547826970050&uuid=user-1&limit=10&timestamp=1700000000&signature=v2.x";
        assert_eq!(
            canonical_query(raw),
            "limit=10&pnsdk=PubNub-Rust%2F0.1.0&start=15610547826970050&timestamp=1700000000&uuid=user-1"
        );
    }
}
