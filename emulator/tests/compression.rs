//! gzip replies: compressed exactly when the request's `Accept-Encoding`
//! allows gzip. These tests read raw HTTP so they see the compressed bytes.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use common::{SUB, add_ok, get_with_header, start};
use flate2::read::GzDecoder;

/// Status line, lower-cased headers and raw body of one response.
struct RawResponse {
    status_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RawResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Sends `GET path` with the given extra header lines and reads the response.
fn raw_get(emulator: &pubnub_emulator::Emulator, path: &str, extra_headers: &str) -> RawResponse {
    let stream = TcpStream::connect(emulator.addr()).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    writer
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra_headers}\r\n").as_bytes(),
        )
        .unwrap();

    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .map(|(_, value)| value.parse().unwrap())
        .expect("response has Content-Length");
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    RawResponse {
        status_line: status_line.trim_end().to_owned(),
        headers,
        body,
    }
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    GzDecoder::new(bytes).read_to_string(&mut text).unwrap();
    text
}

#[test]
fn gzip_requested_gzip_sent() {
    let emulator = start();
    let action = add_ok(&emulator, "ch", "15610547826969050", "receipt", "read");
    let path = format!("/v1/message-actions/{SUB}/channel/ch?uuid=user-1");
    let plain = raw_get(&emulator, &path, "");

    let compressed = raw_get(&emulator, &path, "Accept-Encoding: gzip, deflate\r\n");

    assert_eq!(compressed.status_line, "HTTP/1.1 200 OK");
    assert_eq!(compressed.header("content-encoding"), Some("gzip"));
    assert_eq!(compressed.header("vary"), Some("Accept-Encoding"));
    assert_eq!(
        compressed.header("content-type"),
        Some("text/javascript; charset=\"UTF-8\"")
    );
    let text = gunzip(&compressed.body);
    assert_eq!(text.as_bytes(), plain.body.as_slice());
    assert!(text.contains(&action));
}

#[test]
fn no_accept_encoding_is_plain() {
    let emulator = start();

    let reply = raw_get(&emulator, "/time/0", "");

    assert_eq!(reply.header("content-encoding"), None);
    assert_eq!(reply.header("content-length"), Some("19"));
    assert_eq!(reply.body.first(), Some(&b'['));
}

#[test]
fn excluded_or_other_codings_are_plain() {
    let emulator = start();

    for value in ["gzip;q=0", "deflate", "identity", "br, *;q=0"] {
        let reply = raw_get(
            &emulator,
            "/time/0",
            &format!("Accept-Encoding: {value}\r\n"),
        );

        assert_eq!(
            reply.header("content-encoding"),
            None,
            "Accept-Encoding: {value}"
        );
        assert_eq!(reply.body.first(), Some(&b'['), "Accept-Encoding: {value}");
    }
}

#[test]
fn wildcard_accepts_gzip() {
    let emulator = start();

    let reply = raw_get(&emulator, "/time/0", "Accept-Encoding: *\r\n");

    assert_eq!(reply.header("content-encoding"), Some("gzip"));
    assert!(gunzip(&reply.body).starts_with('['));
}

#[test]
fn error_replies_are_compressed_too() {
    let emulator = start();

    let reply = raw_get(&emulator, "/no/such/path", "Accept-Encoding: gzip\r\n");

    assert_eq!(reply.status_line, "HTTP/1.1 404 Not Found");
    assert_eq!(reply.header("content-encoding"), Some("gzip"));
    assert_eq!(
        gunzip(&reply.body),
        r#"{"status": 404, "error": true, "message": "No endpoint at GET /no/such/path"}"#
    );
}

#[test]
fn empty_body_is_not_compressed() {
    let emulator = start();
    let stream = TcpStream::connect(emulator.addr()).unwrap();
    let mut writer = stream.try_clone().unwrap();
    writer
        .write_all(b"OPTIONS /time/0 HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut whole = String::new();
    BufReader::new(stream).read_to_string(&mut whole).unwrap();

    let lower = whole.to_ascii_lowercase();
    assert!(lower.starts_with("http/1.1 200 ok\r\n"), "{whole}");
    assert!(lower.contains("\r\ncontent-length: 0\r\n"), "{whole}");
    assert!(!lower.contains("content-encoding"), "{whole}");
}

#[test]
fn ureq_client_decompresses_transparently() {
    let emulator = start();

    let reply = get_with_header(
        &emulator,
        "/v1/message-actions/sub/channel/ch",
        "Accept-Encoding",
        "gzip",
    );

    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, r#"{"status": 200, "data": []}"#);
}
