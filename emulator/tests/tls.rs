//! HTTPS with the self-signed certificate the emulator generates at start.

mod common;

use std::io::ErrorKind;

use common::process::{BINARY, Running};
use common::{SUB, add_ok, get, list, publish, trusting};
use pubnub_emulator::{Config, Emulator};
use tokio_rustls::rustls;

fn start_tls() -> Emulator {
    Emulator::start(Config::default().tls(true)).expect("emulator starts with TLS")
}

fn temporary_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!(
        "pubnub-emulator-tls-test-{}-{name}",
        std::process::id()
    ))
}

#[test]
fn time_over_https() {
    let emulator = start_tls();

    let reply = get(&emulator, "/time/0");

    assert!(emulator.is_tls());
    assert_eq!(
        emulator.base_url(),
        format!("https://127.0.0.1:{}", emulator.addr().port())
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body.len(), 19, "body: {}", reply.body);
}

#[test]
fn actions_round_trip_over_https() {
    let emulator = start_tls();
    let message_timetoken = publish(&emulator, "tls-channel", r#""hello""#);

    let action_timetoken = add_ok(
        &emulator,
        "tls-channel",
        &message_timetoken,
        "reaction",
        "smile",
    );
    let listed = list(&emulator, "tls-channel", "");

    assert_eq!(listed.status, 200);
    let data = &listed.json()["data"];
    assert_eq!(data.as_array().unwrap().len(), 1);
    assert_eq!(data[0]["actionTimetoken"], action_timetoken.as_str());
    assert_eq!(data[0]["messageTimetoken"], message_timetoken.as_str());
}

#[test]
fn localhost_name_is_valid() {
    let emulator = start_tls();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(trusting(emulator.certificate_pem().unwrap()))
        .build()
        .into();

    let url = format!("https://localhost:{}/time/0", emulator.addr().port());
    let mut response = agent
        .get(url)
        .call()
        .expect("localhost is in the certificate");

    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response
            .body_mut()
            .read_to_string()
            .unwrap()
            .starts_with('[')
    );
}

#[test]
fn untrusted_client_is_rejected() {
    let emulator = start_tls();
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();

    let error = agent
        .get(format!("{}/time/0", emulator.base_url()))
        .call()
        .expect_err("the system roots do not contain the emulator's certificate");

    // ureq reports the rustls verification error inside an I/O error.
    let ureq::Error::Io(io_error) = &error else {
        panic!("expected an I/O error, found {error:?}");
    };
    assert_eq!(io_error.kind(), ErrorKind::InvalidData);
    let cause = io_error
        .get_ref()
        .and_then(|cause| cause.downcast_ref::<rustls::Error>());
    assert_eq!(
        cause,
        Some(&rustls::Error::InvalidCertificate(
            rustls::CertificateError::UnknownIssuer
        ))
    );
}

#[test]
fn plain_http_to_tls_port_fails() {
    let emulator = start_tls();
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();

    let result = agent
        .get(format!("http://{}/time/0", emulator.origin()))
        .call();

    assert!(result.is_err(), "plain HTTP got a reply: {result:?}");
}

#[test]
fn temporary_certificate_is_removed_on_drop() {
    let emulator = start_tls();
    let path = emulator.certificate_path().unwrap().to_owned();

    let written = std::fs::read_to_string(&path).unwrap();

    assert_eq!(written, emulator.certificate_pem().unwrap());
    assert!(written.starts_with("-----BEGIN CERTIFICATE-----\n"));
    assert_eq!(path.parent(), Some(std::env::temp_dir().as_path()));
    drop(emulator);
    assert!(!path.exists(), "{} still exists", path.display());
}

#[test]
fn configured_certificate_path_is_kept() {
    let path = temporary_path("configured.pem");
    let emulator = Emulator::start(Config::default().tls(true).tls_certificate_path(&path))
        .expect("emulator starts");

    assert_eq!(emulator.certificate_path(), Some(path.as_path()));
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, emulator.certificate_pem().unwrap());
    drop(emulator);
    assert!(path.exists());
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn each_start_has_its_own_certificate() {
    let first = start_tls();
    let second = start_tls();

    assert_ne!(first.certificate_pem(), second.certificate_pem());
    assert_ne!(first.certificate_path(), second.certificate_path());
}

#[test]
fn plain_emulator_has_no_certificate() {
    let emulator = common::start();

    assert!(!emulator.is_tls());
    assert_eq!(
        emulator.base_url(),
        format!("http://127.0.0.1:{}", emulator.addr().port())
    );
    assert_eq!(emulator.certificate_pem(), None);
    assert_eq!(emulator.certificate_path(), None);
}

#[test]
fn certificate_path_without_tls_is_invalid() {
    let config = Config::default().tls_certificate_path(temporary_path("unused.pem"));

    let error = Emulator::start(config).expect_err("TLS is off");

    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        error.to_string(),
        "a TLS certificate path needs TLS turned on"
    );
}

#[test]
fn unwritable_certificate_path_fails() {
    let path = temporary_path("missing-directory").join("cert.pem");
    let config = Config::default().tls(true).tls_certificate_path(&path);

    let error = Emulator::start(config).expect_err("the directory does not exist");

    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert!(
        error.to_string().starts_with(&format!(
            "writing the TLS certificate to {} failed: ",
            path.display()
        )),
        "error: {error}"
    );
}

#[test]
fn connection_is_kept_alive_over_tls() {
    let emulator = start_tls();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(trusting(emulator.certificate_pem().unwrap()))
        .build()
        .into();
    let url = format!(
        "{}/v1/message-actions/{SUB}/channel/kept?uuid=user-1",
        emulator.base_url()
    );

    for _ in 0..3 {
        let mut response = agent.get(&url).call().unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers().get("connection").unwrap(), "keep-alive");
        assert_eq!(
            response.body_mut().read_to_string().unwrap(),
            r#"{"status": 200, "data": []}"#
        );
    }
}

fn get_time(base_url: &str, pem: &str) -> u16 {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(trusting(pem))
        .build()
        .into();
    let response = agent.get(format!("{base_url}/time/0")).call().unwrap();
    response.status().as_u16()
}

#[test]
fn tls_flag_writes_certificate_beside_port_file() {
    let port_file = temporary_path("flag-port");
    let certificate_path = temporary_path("flag-port.cert.pem");
    let mut running = Running::start(&["--tls", "--port-file", port_file.to_str().unwrap()]);

    let url = running.listening_url();
    let origin = std::fs::read_to_string(&port_file).unwrap();
    let pem = std::fs::read_to_string(&certificate_path).unwrap();
    let status = get_time(&url, &pem);
    let stderr = running.stop();

    assert_eq!(url, format!("https://{}", origin.trim_end()));
    assert_eq!(status, 200);
    assert!(
        stderr.contains(&format!(
            "pubnub-emulator: TLS certificate (PEM) written to {}\n",
            certificate_path.display()
        )),
        "stderr: {stderr}"
    );
    assert!(stderr.contains("GET /time/0 -> 200"), "stderr: {stderr}");
    assert!(certificate_path.exists(), "a chosen path is kept at exit");
    std::fs::remove_file(&port_file).unwrap();
    std::fs::remove_file(&certificate_path).unwrap();
}

#[test]
fn tls_cert_out_flag_names_the_file() {
    let certificate_path = temporary_path("flag-out.pem");
    let mut running = Running::start(&[
        "--tls",
        "--tls-cert-out",
        certificate_path.to_str().unwrap(),
    ]);

    let url = running.listening_url();
    let pem = std::fs::read_to_string(&certificate_path).unwrap();

    assert_eq!(get_time(&url, &pem), 200);
    running.stop();
    std::fs::remove_file(&certificate_path).unwrap();
}

#[test]
fn tls_flag_alone_uses_temporary_file() {
    let mut running = Running::start(&["--tls", "--log-level", "off"]);

    let url = running.listening_url();
    let line = running.stderr_line();
    let path = line
        .strip_prefix("pubnub-emulator: TLS certificate (PEM) written to ")
        .unwrap_or_else(|| panic!("unexpected line: {line:?}"))
        .to_owned();
    let pem = std::fs::read_to_string(&path).unwrap();
    let status = get_time(&url, &pem);
    running.stop();

    assert!(url.starts_with("https://127.0.0.1:"), "url: {url}");
    assert_eq!(status, 200);
    assert!(
        path.starts_with(std::env::temp_dir().to_str().unwrap()),
        "path: {path}"
    );
    assert!(!std::path::Path::new(&path).exists(), "{path} still exists");
}

#[test]
fn failed_handshake_is_logged() {
    let mut running = Running::start(&["--tls", "--log-level", "warn"]);
    let url = running.listening_url();
    let certificate_line = running.stderr_line();
    let untrusting: ureq::Agent = ureq::Agent::config_builder().build().into();

    let result = untrusting.get(format!("{url}/time/0")).call();
    // The server detects the failure only after the client has given up, so the
    // warning is read before stopping, or stopping could come first.
    let warning = running.stderr_line_within(std::time::Duration::from_secs(30));
    let rest = running.stop();

    assert!(result.is_err());
    assert!(certificate_line.starts_with("pubnub-emulator: TLS certificate (PEM) written to "));
    assert!(
        warning.starts_with("[WARN ] TLS handshake with 127.0.0.1:"),
        "warning: {warning}"
    );
    // The reason depends on the client: rustls closes without an alert
    // ("tls handshake eof"), OpenSSL sends one ("received fatal alert: UnknownCA").
    assert!(warning.contains(" failed: "), "warning: {warning}");
    assert_eq!(rest, "", "nothing else is logged");
}

#[test]
fn tls_cert_out_requires_tls() {
    let output = std::process::Command::new(BINARY)
        .args(["--tls-cert-out", "unused.pem"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();

    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr.contains("the following required arguments were not provided:\n  --tls"),
        "stderr: {stderr}"
    );
}

#[test]
fn unwritable_cert_out_exits_with_error() {
    let path = temporary_path("no-such-directory").join("cert.pem");
    let output = std::process::Command::new(BINARY)
        .args(["--tls", "--tls-cert-out", path.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();

    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert_eq!(
        stderr,
        format!(
            "pubnub-emulator: writing the TLS certificate to {} failed: No such file or directory (os error 2)\n",
            path.display()
        )
    );
}
