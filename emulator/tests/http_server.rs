//! HTTP behaviour shared by all endpoints: common headers, preflight, unknown
//! routes, body size limit, keep-alive and the emulator's lifecycle.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use common::{SUB, get, post, start};
use pubnub_emulator::{Config, Emulator};

const COMMON_HEADERS: [(&str, &str); 8] = [
    ("content-type", "text/javascript; charset=\"UTF-8\""),
    ("access-control-allow-origin", "*"),
    ("access-control-allow-methods", "GET, POST, DELETE, OPTIONS"),
    ("access-control-allow-credentials", "true"),
    ("cache-control", "no-cache"),
    ("connection", "keep-alive"),
    ("accept-ranges", "bytes"),
    ("age", "0"),
];

fn assert_common_headers(reply: &common::Reply) {
    for (name, value) in COMMON_HEADERS {
        assert_eq!(reply.header(name), Some(value), "header {name}");
    }
}

#[test]
fn every_reply_has_common_headers() {
    let emulator = start();

    let replies = [
        get(&emulator, "/time/0"),
        get(&emulator, &format!("/v1/message-actions/{SUB}/channel/ch")),
        post(
            &emulator,
            &format!("/v1/message-actions/{SUB}/channel/ch/message/1?uuid=u"),
            "{}",
        ),
        get(&emulator, "/no/such/path"),
    ];

    for reply in &replies {
        assert_common_headers(reply);
    }
}

#[test]
fn options_preflight_is_empty_200() {
    let emulator = start();
    let response = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent()
        .options(format!(
            "http://{}/v1/message-actions/{SUB}/channel/ch",
            emulator.origin()
        ))
        .call()
        .unwrap();

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response
            .headers()
            .get("access-control-allow-methods")
            .unwrap(),
        "GET, POST, DELETE, OPTIONS"
    );
    assert_eq!(response.headers().get("content-length").unwrap(), "0");
}

#[test]
fn unknown_path_is_404() {
    let emulator = start();

    let reply = get(&emulator, "/v9/unknown?uuid=u");

    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.body,
        r#"{"status": 404, "error": true, "message": "No endpoint at GET /v9/unknown"}"#
    );
}

#[test]
fn wrong_method_is_405() {
    let emulator = start();

    let reply = post(
        &emulator,
        &format!("/v1/message-actions/{SUB}/channel/ch"),
        "{}",
    );

    assert_eq!(reply.status, 405);
    assert_eq!(
        reply.body,
        format!(
            r#"{{"status": 405, "error": true, "message": "Method POST is not allowed on /v1/message-actions/{SUB}/channel/ch"}}"#
        )
    );
}

#[test]
fn body_over_1_mib_is_413() {
    let emulator = start();
    let body = format!(
        "{{\"type\":\"t\",\"value\":\"{}\"}}",
        "v".repeat(1024 * 1024)
    );

    let reply = post(
        &emulator,
        &format!("/v1/message-actions/{SUB}/channel/ch/message/1?uuid=u"),
        &body,
    );

    assert_eq!(reply.status, 413);
    assert_eq!(
        reply.body,
        r#"{"status": 413, "error": true, "service": "Balancer", "message": "Request Entity Too Large."}"#
    );
}

/// Reads one HTTP/1.1 response with a Content-Length body from `reader`.
fn read_response(reader: &mut BufReader<TcpStream>) -> (String, Vec<String>, String) {
    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    let mut headers = Vec::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end().to_owned();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap();
        }
        headers.push(line);
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    (
        status_line.trim_end().to_owned(),
        headers,
        String::from_utf8(body).unwrap(),
    )
}

#[test]
fn connection_is_kept_alive() {
    let emulator = start();
    let stream = TcpStream::connect(emulator.addr()).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);

    for _ in 0..3 {
        writer
            .write_all(b"GET /time/0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        let (status, headers, body) = read_response(&mut reader);
        assert_eq!(status, "HTTP/1.1 200 OK");
        assert!(
            headers
                .iter()
                .any(|line| line.eq_ignore_ascii_case("connection: keep-alive"))
        );
        assert!(body.starts_with('['));
    }
}

#[test]
fn connection_close_is_honoured() {
    let emulator = start();
    let mut stream = TcpStream::connect(emulator.addr()).unwrap();

    stream
        .write_all(b"GET /time/0 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut whole = String::new();
    stream.read_to_string(&mut whole).unwrap();

    assert!(whole.starts_with("HTTP/1.1 200 OK\r\n"));
    assert!(
        whole
            .to_ascii_lowercase()
            .contains("\r\nconnection: close\r\n")
    );
    assert!(!whole.to_ascii_lowercase().contains("keep-alive"));
}

#[test]
fn raw_path_is_not_normalised() {
    let emulator = start();
    let stream = TcpStream::connect(emulator.addr()).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);

    // A channel name with an encoded slash stays one path segment.
    let body = r#"{"type":"t","value":"value1"}"#;
    writer
        .write_all(
            format!(
                "POST /v1/message-actions/{SUB}/channel/a%2Fb/message/1?uuid=u HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        )
        .unwrap();
    let (status, _, _) = read_response(&mut reader);
    writer
        .write_all(
            format!("GET /v1/message-actions/{SUB}/channel/a%2fb HTTP/1.1\r\nHost: x\r\n\r\n")
                .as_bytes(),
        )
        .unwrap();
    let (_, _, listed) = read_response(&mut reader);

    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(listed.contains("\"value\": \"value1\""), "{listed}");
}

#[test]
fn several_emulators_run_at_once() {
    let first = start();
    let second = start();
    common::add_ok(&first, "ch", "1", "receipt", "read");

    let on_first = common::list(&first, "ch", "");
    let on_second = common::list(&second, "ch", "");

    assert_ne!(first.addr(), second.addr());
    assert_eq!(common::action_timetokens(&on_first).len(), 1);
    assert!(common::action_timetokens(&on_second).is_empty());
}

#[test]
fn origin_is_loopback_address() {
    let emulator = start();

    assert_eq!(
        emulator.origin(),
        format!("127.0.0.1:{}", emulator.addr().port())
    );
    assert_ne!(emulator.addr().port(), 0);
}

#[test]
fn drop_stops_listening() {
    let emulator = start();
    let addr = emulator.addr();
    assert_eq!(get(&emulator, "/time/0").status, 200);

    drop(emulator);

    let refused = TcpStream::connect(addr).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
}

#[test]
fn busy_port_fails_to_start() {
    let first = start();

    let error = Emulator::start(Config::default().port(first.addr().port())).unwrap_err();

    assert_eq!(error.kind(), std::io::ErrorKind::AddrInUse);
}

#[test]
fn zero_worker_threads_is_invalid() {
    let error = Emulator::start(Config::default().worker_threads(0)).unwrap_err();

    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert_eq!(error.to_string(), "worker_threads must be at least 1");
}

#[test]
fn start_works_inside_a_tokio_runtime() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    let emulator = runtime.block_on(async { start() });

    assert_eq!(get(&emulator, "/time/0").status, 200);
    drop(emulator);
}
