//! The PubNub v2 request signature, sent when the client has a secret key.
//!
//! String to sign: `METHOD\npublish_key\npath\ncanonical_query\nbody`, where the
//! path is exactly as sent (already percent-encoded), the canonical query is all
//! parameters except `signature`, sorted by key, values percent-encoded with
//! [`crate::encode`], and the body is empty for GET and DELETE. The signature is
//! `v2.` followed by the URL-safe base64 of HMAC-SHA256(secret_key, string), with
//! the `=` padding removed. Source: PubNub REST API docs, Access Manager
//! signature (`https://www.pubnub.com/docs/sdks/rest-api/introduction-10`).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Returns the v2 signature for one request.
pub fn sign_v2(
    secret_key: &str,
    publish_key: &str,
    method: &str,
    path: &str,
    canonical_query: &str,
    body: &str,
) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes())
        .expect("HMAC-SHA256 takes keys of any length");
    for part in [
        method,
        "\n",
        publish_key,
        "\n",
        path,
        "\n",
        canonical_query,
        "\n",
        body,
    ] {
        mac.update(part.as_bytes());
    }
    let digest = mac.finalize().into_bytes();
    format!("v2.{}", URL_SAFE_NO_PAD.encode(digest))
}

#[cfg(test)]
mod tests {
    use super::sign_v2;

    // Vectors V1–V5 come from public PubNub SDK test suites (JavaScript
    // access.test.ts and grant_token.test.ts, Go endpoints_test.go, Rust
    // middleware.rs); D1–D3 were computed with the documented algorithm.

    #[test]
    fn vector_v1_audit_channel() {
        let signature = sign_v2(
            "mySecretKey",
            "myPublishKey",
            "GET",
            "/v2/auth/audit/sub-key/mySubscribeKey",
            "channel=ch1&pnsdk=PubNub-JS-Nodejs%2FsuchJavascript&timestamp=1317427200&uuid=myUUID",
            "",
        );
        assert_eq!(signature, "v2.I7AFqanrAAtwVfvLHyKECTWw7UcZmwbRnwENpXdGB9E");
    }

    #[test]
    fn vector_v2_audit_channel_group() {
        let signature = sign_v2(
            "mySecretKey",
            "myPublishKey",
            "GET",
            "/v2/auth/audit/sub-key/mySubscribeKey",
            "channel-group=cg1&pnsdk=PubNub-JS-Nodejs%2FsuchJavascript&timestamp=1317427200&uuid=myUUID",
            "",
        );
        assert_eq!(signature, "v2.2hdDeYpF_Hoo4XLK2CMlZApcLin5lJxh6vsKMQnTet8");
    }

    #[test]
    fn vector_v3_post_with_body() {
        let body = r#"{"ttl":1440,"permissions":{"resources":{"channels":{},"groups":{},"uuids":{"user1":1},"users":{},"spaces":{}},"patterns":{"channels":{},"groups":{},"uuids":{".*":1},"users":{},"spaces":{}},"meta":{}}}"#;
        let signature = sign_v2(
            "mySecretKey",
            "myPublishKey",
            "POST",
            "/v3/pam/mySubscribeKey/grant",
            "pnsdk=PubNub-JS-Nodejs%2FtestVersion&timestamp=1571360790&uuid=myUUID",
            body,
        );
        assert_eq!(signature, "v2.A1ldFjcfAiD0rw7-kFKKwY5j0Mpq1R5u8JDeej7P3jo");
    }

    #[test]
    fn vector_v4_multiline_unicode_body() {
        let body = "{\n  \"ttl\": 1440,\n  \"permissions\": {\n    \"resources\" : {\n      \"channels\": {\n        \"inbox-jay\": 3\n      },\n      \"groups\": {},\n      \"users\": {},\n      \"spaces\": {}\n    },\n    \"patterns\" : {\n      \"channels\": {},\n      \"groups\": {},\n      \"users\": {},\n      \"spaces\": {}\n    },\n    \"meta\": {\n      \"user-id\": \"jay@example.com\",\n      \"contains-unicode\": \"The \u{1F4A9} test.\"\n    }\n  }\n}";
        let signature = sign_v2(
            "wMfbo9G0xVUG8yfTfYw5qIdfJkTd7A",
            "demo",
            "POST",
            "/v3/pam/demo/grant",
            "PoundsSterling=%C2%A313.37&timestamp=123456789",
            body,
        );
        assert_eq!(signature, "v2.k80LsDMD-sImA8rCBj-ntRKhZ8mSjHY8Ivngt9W3Yc4");
    }

    #[test]
    fn vector_v5_publish_path() {
        let signature = sign_v2(
            "secKey",
            "pubKey",
            "GET",
            "/publish/pubKey/subKey/0/my_channel/0/%22hello%21%22",
            "pnsdk=PubNub-Rust&store=1&timestamp=1679642098&ttl=10&uuid=userId",
            "",
        );
        assert_eq!(signature, "v2.AHl5lMpzyT4qcvvlqaszCjTUqU6dPb10a4_XSaYCNIQ");
    }

    #[test]
    fn vector_d1_add_action() {
        let signature = sign_v2(
            "sec-c-TEST",
            "pub-c-TEST",
            "POST",
            "/v1/message-actions/sub-c-TEST/channel/my%20channel/message/15610547826969050",
            "auth=myAuth&pnsdk=PubNub-Rust%2F0.1.0&timestamp=1700000000&uuid=user-1",
            r#"{"type":"reaction","value":"smiley_face"}"#,
        );
        assert_eq!(signature, "v2.VpESiB6W0DVVVtAc7slIwPPTufpC_yhCPY_penCaXpI");
    }

    #[test]
    fn vector_d2_get_actions() {
        let signature = sign_v2(
            "sec-c-TEST",
            "pub-c-TEST",
            "GET",
            "/v1/message-actions/sub-c-TEST/channel/ch1",
            "limit=10&pnsdk=PubNub-Rust%2F0.1.0&start=15610547826970050&timestamp=1700000000&uuid=user-1",
            "",
        );
        assert_eq!(signature, "v2.IzapHFChxsvJaFE_T359YeASMzWW8tnlqMqjV3oV9l4");
    }

    #[test]
    fn vector_d3_remove_action() {
        let signature = sign_v2(
            "sec-c-TEST",
            "pub-c-TEST",
            "DELETE",
            "/v1/message-actions/sub-c-TEST/channel/ch1/message/15610547826969050/action/15610547826970050",
            "pnsdk=PubNub-Rust%2F0.1.0&timestamp=1700000000&uuid=user-1",
            "",
        );
        assert_eq!(signature, "v2.IutplHSC2MPA-JIj136gOldIFDn35dOUbqfWeKgDyu4");
    }
}
