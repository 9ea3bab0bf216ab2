//! Log lines of the binary: one access log line per request, with secrets
//! redacted, and one line for each connection error.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::process::Running;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// Returns the line of `stderr` that contains `needle`.
fn line_with<'a>(stderr: &'a str, needle: &str) -> &'a str {
    stderr
        .lines()
        .find(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("no line contains {needle:?}:\n{stderr}"))
}

/// Checks that `line` ends with ` -> STATUS in N.NNN ms` and what follows.
fn assert_status_and_millis(line: &str, status: &str, after: &str) {
    let (_, result) = line
        .split_once(" -> ")
        .unwrap_or_else(|| panic!("no result in {line:?}"));
    let rest = result
        .strip_prefix(&format!("{status} in "))
        .unwrap_or_else(|| panic!("expected status {status} in {line:?}"));
    let (millis, tail) = rest
        .split_once(" ms")
        .unwrap_or_else(|| panic!("no duration in {line:?}"));
    let (whole, fraction) = millis.split_once('.').expect("decimal duration");
    assert!(whole.bytes().all(|byte| byte.is_ascii_digit()), "{line}");
    assert_eq!(fraction.len(), 3, "{line}");
    assert_eq!(tail, after, "{line}");
}

#[test]
fn request_line_redacts_secrets() {
    let mut running = Running::start(&[]);
    let origin = running.listening_origin();
    let url = format!(
        "http://{origin}/v1/message-actions/sub-c-TEST/channel/ch?uuid=user-1&auth=AUTH-SECRET&timestamp=1&signature=v2.SIGNATURE"
    );

    let status = agent().get(&url).call().unwrap().status().as_u16();
    let stderr = running.stop();

    assert_eq!(status, 200);
    let line = line_with(&stderr, "GET /v1/message-actions/");
    assert!(line.starts_with("[INFO ] 127.0.0.1:"), "line: {line}");
    assert!(
        line.contains(
            " GET /v1/message-actions/sub-c-TEST/channel/ch?uuid=user-1&auth=REDACTED&timestamp=1&signature=REDACTED -> "
        ),
        "line: {line}"
    );
    assert_status_and_millis(line, "200", "");
    assert!(!stderr.contains("AUTH-SECRET"), "stderr: {stderr}");
    assert!(!stderr.contains("SIGNATURE"), "stderr: {stderr}");
}

#[test]
fn error_reply_line_has_body() {
    let mut running = Running::start(&[]);
    let origin = running.listening_origin();

    let reply = agent()
        .post(format!(
            "http://{origin}/v1/message-actions/sub-c-TEST/channel/ch/message/1?uuid=u"
        ))
        .send(r#"{"type": "receipt"}"#)
        .unwrap();
    let stderr = running.stop();

    assert_eq!(reply.status().as_u16(), 400);
    let line = line_with(&stderr, "POST /v1/message-actions/");
    assert_status_and_millis(
        line,
        "400",
        r#": {"status": 400, "error": {"source": "actions", "message": "Request payload contained invalid input.", "details": [{"message": "Missing field", "location": "value", "locationType": "body"}]}}"#,
    );
}

#[test]
fn fault_lines_name_the_outcome() {
    let mut running = Running::start(&[
        "--fault",
        r#"{"kind":"close","path_prefix":"/time/"}"#,
        "--fault",
        r#"{"kind":"truncate","path_prefix":"/time/"}"#,
    ]);
    let origin = running.listening_origin();

    let closed = agent().get(format!("http://{origin}/time/0")).call();
    let truncated = agent()
        .get(format!("http://{origin}/time/0"))
        .call()
        .and_then(|mut response| response.body_mut().read_to_string());
    let stderr = running.stop();

    assert!(closed.is_err());
    assert!(truncated.is_err());
    let closed_line = line_with(&stderr, "GET /time/0 -> connection closed");
    assert_status_and_millis(closed_line, "connection closed without a reply", "");
    let truncated_line = line_with(&stderr, "GET /time/0 -> 200 (body truncated)");
    assert_status_and_millis(truncated_line, "200 (body truncated)", "");
    assert!(
        stderr.contains("[INFO ] fault 1 (close) applies to GET /time/0\n"),
        "stderr: {stderr}"
    );
    assert!(
        stderr.contains("[INFO ] fault 2 (truncate) applies to GET /time/0\n"),
        "stderr: {stderr}"
    );
}

#[test]
fn cancelled_request_is_logged() {
    let mut running = Running::start(&["--subscribe-hold-seconds", "60"]);
    let origin = running.listening_origin();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_millis(300)))
        .build()
        .into();

    let result = agent
        .get(format!(
            "http://{origin}/v2/subscribe/sub-c-TEST/quiet/0?tt=1"
        ))
        .call();
    // Reading blocks until the emulator notices the closed connection.
    let line = (0..5)
        .map(|_| running.stderr_line())
        .find(|line| line.contains("closed by the client"))
        .expect("a line about the closed connection");
    running.stop();

    assert!(matches!(result, Err(ureq::Error::Timeout(_))), "{result:?}");
    assert!(
        line.starts_with("[INFO ] connection from 127.0.0.1:"),
        "line: {line}"
    );
    assert!(
        line.ends_with(
            " closed by the client before the reply: connection closed before message completed"
        ),
        "line: {line}"
    );
}

#[test]
fn malformed_request_is_a_warning() {
    let mut running = Running::start(&["--log-level", "warn"]);
    let origin = running.listening_origin();

    let mut stream = TcpStream::connect(&origin).unwrap();
    stream.write_all(b"NOT HTTP AT ALL\r\n\r\n").unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    let stderr = running.stop();

    assert!(
        reply.starts_with("HTTP/1.1 400 Bad Request\r\n"),
        "reply: {reply}"
    );
    let line = line_with(&stderr, "ended with an error");
    assert!(
        line.starts_with("[WARN ] connection from 127.0.0.1:"),
        "line: {line}"
    );
    assert!(
        line.ends_with(" ended with an error: invalid HTTP version parsed"),
        "line: {line}"
    );
}
