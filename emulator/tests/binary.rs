//! The `pubnub-emulator` binary: flags, the listening line, the port file,
//! request logging and clean exit on SIGINT and SIGTERM.

mod common;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

use common::process::{BINARY, Running};

fn http_get(origin: &str, path: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent.get(format!("http://{origin}{path}")).call().unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

fn temporary_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "pubnub-emulator-test-{}-{name}",
        std::process::id()
    ))
}

#[test]
fn help_documents_every_flag() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();

    assert!(output.status.success());
    for flag in [
        "--host <IP>",
        "--port <PORT>",
        "--port-file <PATH>",
        "--subscribe-key <KEY>",
        "--publish-key <KEY>",
        "--secret-key <KEY>",
        "--access-file <PATH>",
        "--grant <AUTH_KEY:CHANNEL:PERMISSIONS>",
        "--subscribe-hold-seconds <SECONDS>",
        "--threads <COUNT>",
        "--log-level <LEVEL>",
        "--tls",
        "--tls-cert-out <PATH>",
        "--fault <JSON>",
    ] {
        assert!(help.contains(flag), "help lacks {flag}:\n{help}");
    }
    for unit in [
        "Seconds a subscribe long-poll",
        "Unix seconds, within 60 s",
        "delay_ms, in milliseconds",
        "count is a number of requests",
    ] {
        assert!(help.contains(unit), "help lacks {unit:?}:\n{help}");
    }
}

#[test]
fn sigterm_exits_cleanly() {
    let mut running = Running::start(&[]);
    let origin = running.listening_origin();
    assert!(origin.starts_with("127.0.0.1:"));
    assert_eq!(http_get(&origin, "/time/0").0, 200);

    running.signal("TERM");
    let (status, rest, stderr) = running.wait();

    assert_eq!(status.code(), Some(0));
    assert_eq!(rest, "", "only one line goes to standard output");
    assert!(stderr.contains("GET /time/0 -> 200"), "stderr: {stderr}");
    assert!(
        stderr.contains("received SIGTERM, stopping"),
        "stderr: {stderr}"
    );
}

#[test]
fn sigint_exits_cleanly() {
    let mut running = Running::start(&["--log-level", "warn"]);
    let origin = running.listening_origin();
    assert_eq!(http_get(&origin, "/time/0").0, 200);

    running.signal("INT");
    let (status, _, stderr) = running.wait();

    assert_eq!(status.code(), Some(0));
    assert_eq!(stderr, "", "warn level logs nothing for a clean run");
}

#[test]
fn port_file_names_the_origin() {
    let path = temporary_path("port-file");
    let _ = std::fs::remove_file(&path);
    let mut running = Running::start(&["--port-file", path.to_str().unwrap()]);
    let origin = running.listening_origin();

    let written = std::fs::read_to_string(&path).unwrap();

    assert_eq!(written, format!("{origin}\n"));
    running.signal("TERM");
    assert_eq!(running.wait().0.code(), Some(0));
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn fixed_port_is_used() {
    let free_port = {
        let probe = TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let mut running = Running::start(&["--host", "127.0.0.1", "--port", &free_port.to_string()]);

    let origin = running.listening_origin();

    assert_eq!(origin, format!("127.0.0.1:{free_port}"));
}

#[test]
fn key_flags_restrict_keys() {
    let mut running = Running::start(&[
        "--subscribe-key",
        "sub-c-TEST",
        "--publish-key",
        "pub-c-TEST",
        "--threads",
        "1",
    ]);
    let origin = running.listening_origin();

    let (bad_sub, bad_sub_body) = http_get(&origin, "/v1/message-actions/sub-c-BOGUS/channel/ch");
    let (bad_pub, bad_pub_body) = http_get(&origin, "/publish/bogus/sub-c-TEST/0/ch/0/1");
    let (good, _) = http_get(&origin, "/publish/pub-c-TEST/sub-c-TEST/0/ch/0/1");

    assert_eq!(bad_sub, 400);
    assert_eq!(
        bad_sub_body,
        r#"{"status": 400, "error": {"source": "actions", "message": "Invalid Subkey"}}"#
    );
    assert_eq!(bad_pub, 400);
    assert!(
        bad_pub_body.starts_with(r#"[0,"Invalid Key",""#),
        "{bad_pub_body}"
    );
    assert_eq!(good, 200);
}

#[test]
fn busy_port_exits_with_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();

    let output = Command::new(BINARY)
        .args(["--port", &port])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();

    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert!(
        stderr.contains(&format!(
            "pubnub-emulator: listening on 127.0.0.1:{port} failed: "
        )),
        "stderr: {stderr}"
    );
}

#[test]
fn invalid_flag_value_is_rejected() {
    let output = Command::new(BINARY)
        .args(["--threads", "0"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();

    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr.contains("invalid value '0' for '--threads <COUNT>'"),
        "stderr: {stderr}"
    );
}

#[test]
fn secret_key_requires_signatures() {
    let mut running =
        Running::start(&["--publish-key", "pub-c-TEST", "--secret-key", "sec-c-TEST"]);
    let origin = running.listening_origin();

    let (status, body) = http_get(&origin, "/v1/message-actions/sub-c-TEST/channel/ch?uuid=u");

    assert_eq!(status, 403);
    assert!(body.contains(r#""message": "Invalid timestamp""#), "{body}");
    running.signal("TERM");
    let (_, _, stderr) = running.wait();
    assert!(
        !stderr.contains("sec-c-TEST"),
        "the secret key is logged: {stderr}"
    );
}

#[test]
fn secret_key_without_publish_key_fails() {
    let output = Command::new(BINARY)
        .args(["--secret-key", "sec-c-TEST"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();

    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert!(
        stderr.contains(
            "pubnub-emulator: invalid settings: a secret key needs at least one publish key, because signatures are computed over the publish key"
        ),
        "stderr: {stderr}"
    );
}

#[test]
fn access_flags_combine() {
    let path = temporary_path("access.json");
    std::fs::write(&path, r#"{"file-auth": {"chat": {"read": true}}}"#).unwrap();
    let mut running = Running::start(&[
        "--access-file",
        path.to_str().unwrap(),
        "--grant",
        "flag-auth:chat:w",
    ]);
    let origin = running.listening_origin();
    let list = "/v1/message-actions/sub-c-TEST/channel/chat?uuid=u&auth=";

    let (file_read, _) = http_get(&origin, &format!("{list}file-auth"));
    let (flag_read, flag_body) = http_get(&origin, &format!("{list}flag-auth"));
    let (flag_publish, _) = http_get(&origin, "/publish/p/sub-c-TEST/0/chat/0/1?auth=flag-auth");

    assert_eq!(file_read, 200);
    assert_eq!(flag_read, 403);
    assert!(
        flag_body.contains("Supplied authorization key does not have the permissions"),
        "{flag_body}"
    );
    assert_eq!(flag_publish, 200);
    running.signal("TERM");
    let (_, _, stderr) = running.wait();
    assert!(
        !stderr.contains("flag-auth"),
        "an auth key is logged: {stderr}"
    );
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn bad_grant_flag_fails() {
    let output = Command::new(BINARY)
        .args(["--grant", "secret-auth:chat"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();

    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr,
        "pubnub-emulator: invalid --grant value: expected AUTH_KEY:CHANNEL:PERMISSIONS with PERMISSIONS r, w or rw\n"
    );
}

#[test]
fn missing_access_file_fails() {
    let path = temporary_path("missing-access.json");

    let output = Command::new(BINARY)
        .args(["--access-file", path.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();

    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr,
        format!(
            "pubnub-emulator: reading the access file {} failed: No such file or directory (os error 2)\n",
            path.display()
        )
    );
}

#[test]
fn subscribe_hold_flag_ends_empty_poll() {
    let mut running = Running::start(&["--subscribe-hold-seconds", "0.2"]);
    let origin = running.listening_origin();
    let (_, handshake) = http_get(&origin, "/v2/subscribe/sub-c-TEST/quiet/0?tt=0");
    let cursor = handshake
        .split('"')
        .nth(5)
        .expect("handshake body has a cursor")
        .to_owned();

    let (status, body) = http_get(
        &origin,
        &format!("/v2/subscribe/sub-c-TEST/quiet/0?tt={cursor}"),
    );

    assert_eq!(status, 200);
    assert_eq!(body, format!(r#"{{"t":{{"t":"{cursor}","r":41}},"m":[]}}"#));
}

#[test]
fn negative_hold_is_rejected() {
    let output = Command::new(BINARY)
        .arg("--subscribe-hold-seconds=-1")
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();

    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr.contains(
            "invalid value '-1' for '--subscribe-hold-seconds <SECONDS>': expected a non-negative number of seconds, such as 280 or 0.5"
        ),
        "stderr: {stderr}"
    );
}

#[test]
fn sigterm_ends_pending_poll() {
    let mut running = Running::start(&[]);
    let origin = running.listening_origin();
    let (_, handshake) = http_get(&origin, "/v2/subscribe/sub-c-TEST/quiet/0?tt=0");
    let cursor = handshake.split('"').nth(5).unwrap().to_owned();
    let url = format!("http://{origin}/v2/subscribe/sub-c-TEST/quiet/0?tt={cursor}");
    let poll = std::thread::spawn(move || ureq::get(url).call().map(|_| ()));
    // Give the poll a chance to arrive; the exit is clean either way.
    std::thread::sleep(std::time::Duration::from_millis(100));

    running.signal("TERM");
    let (status, _, _) = running.wait();

    assert_eq!(status.code(), Some(0));
    assert!(poll.join().unwrap().is_err());
}
