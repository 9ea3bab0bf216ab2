//! Feeds many generated reply bodies to every reply parser: none may panic,
//! and a body that is not the expected JSON must give a malformed-response status.

use pubnub_actions::endpoints::{Reply, StatusContext, add, get, publish, remove};
use pubnub_actions::{Code, Operation, PageBounds};

fn context(operation: Operation) -> StatusContext {
    StatusContext {
        operation,
        channel: "chat".into(),
        origin: "127.0.0.1:9".into(),
        tls: false,
        user_id: "user-1".into(),
        request_id: 1,
    }
}

/// A small deterministic generator (64-bit linear congruential), so failures reproduce.
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

/// Builds JSON-like text from fragments of real replies, so that many bodies
/// are valid JSON with the wrong shape rather than plain garbage.
fn generated_body(generator: &mut Generator) -> Vec<u8> {
    const FRAGMENTS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"status\"",
        "200",
        "207",
        "\"data\"",
        "\"more\"",
        "\"error\"",
        "\"message\"",
        "\"type\"",
        "\"value\"",
        "\"uuid\"",
        "\"actionTimetoken\"",
        "\"messageTimetoken\"",
        "\"15610547826970050\"",
        "15610547826970050",
        "1.5e16",
        "-1",
        "\"\"",
        "null",
        "true",
        "\"start\"",
        "\"limit\"",
        "101",
        "\"Sent\"",
        "1",
        "0",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "<html>",
        "\u{1F44D}",
        " ",
    ];
    let length = generator.next() % 24;
    let mut body = String::new();
    for _ in 0..length {
        body.push_str(generator.pick(FRAGMENTS));
    }
    let mut bytes = body.into_bytes();
    if generator.next().is_multiple_of(10) {
        bytes.push(0xFF);
    }
    bytes
}

#[test]
fn generated_bodies_never_panic() {
    let mut generator = Generator(0x5eed);
    let statuses = [200_u16, 207, 400, 403, 409, 429, 500, 503];
    for _ in 0..20_000 {
        let body = generated_body(&mut generator);
        let http_status = statuses[(generator.next() as usize) % statuses.len()];
        let reply = Reply {
            http_status,
            body: body.clone(),
            retry_after_seconds: None,
        };
        let is_json = serde_json::from_slice::<serde_json::Value>(&body).is_ok();

        let added = add::parse(&context(Operation::AddMessageAction), &reply);
        let page = get::parse(
            &context(Operation::GetMessageActions),
            &reply,
            PageBounds::default(),
        );
        let removed = remove::parse(&context(Operation::RemoveMessageAction), &reply);
        let published = publish::parse(&context(Operation::Publish), &reply);

        for code in [
            added.status.code,
            page.status.code,
            removed.status.code,
            published.status.code,
        ] {
            if !is_json {
                assert_eq!(
                    code,
                    Code::MalformedResponse,
                    "body {:?}",
                    String::from_utf8_lossy(&body)
                );
            }
        }
        if added.status.code == Code::Ok {
            assert!(added.data.is_some());
        }
        if page.status.code == Code::Ok {
            assert!(page.data.is_some());
        }
        assert_eq!(added.status.http_status, http_status);
        assert_eq!(page.status.http_status, http_status);
    }
}
