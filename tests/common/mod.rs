//! Helpers shared by the integration tests: an emulator with a client, and
//! small raw TCP servers on loopback for replies the emulator does not give.

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of these helpers"
)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use pubnub_actions::{Client, Config};
use pubnub_emulator::Emulator;

/// Returns a plain-HTTP configuration for `origin`, user `user-1`.
pub fn config_for(origin: &str) -> Config {
    let mut config = Config::new("sub-c-TEST", "user-1", origin);
    config.publish_key = Some("pub-c-TEST".into());
    config.tls = false;
    config
}

/// Starts an emulator with default settings and a client for it.
pub fn emulator_and_client() -> (Emulator, Client) {
    let emulator =
        Emulator::start(pubnub_emulator::Config::default()).expect("the emulator starts");
    let client = Client::new(config_for(&emulator.origin())).expect("the configuration is valid");
    (emulator, client)
}

/// Returns a loopback address where nothing listens.
pub fn closed_origin() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let address = listener.local_addr().expect("local address");
    drop(listener);
    address.to_string()
}

/// A loopback server that replies to every request with the same raw bytes, or
/// keeps the connection open without replying when `reply` is `None`.
pub struct RawServer {
    pub origin: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl RawServer {
    pub fn start(reply: Option<Vec<u8>>) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        listener.set_nonblocking(true).expect("non-blocking accept");
        let origin = listener.local_addr().expect("local address").to_string();
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            let mut held: Vec<TcpStream> = Vec::new();
            while !thread_stop.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        stream.set_nonblocking(false).expect("blocking stream");
                        read_request_head(&mut stream);
                        match &reply {
                            Some(bytes) => {
                                let _ = stream.write_all(bytes);
                                let _ = stream.flush();
                            }
                            None => held.push(stream),
                        }
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        RawServer {
            origin,
            stop,
            thread: Some(thread),
        }
    }

    /// Starts a server that replies with `status` and an HTML page.
    pub fn html(status: u16) -> RawServer {
        let body = "<html><body><h1>Internal Server Error</h1></body></html>";
        let reply = format!(
            "HTTP/1.1 {status} Internal Server Error\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        RawServer::start(Some(reply.into_bytes()))
    }

    /// Starts a server that promises a longer body than it sends, then closes.
    pub fn truncated() -> RawServer {
        let partial = r#"{"status": 200, "data": {"type": "reac"#;
        let reply = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/javascript; charset=\"UTF-8\"\r\nContent-Length: 200\r\nConnection: close\r\n\r\n{partial}"
        );
        RawServer::start(Some(reply.into_bytes()))
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads until the end of the request head; bodies are small enough to ignore.
fn read_request_head(stream: &mut TcpStream) {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("read timeout");
    let mut received = Vec::new();
    let mut buffer = [0_u8; 4096];
    while !received.windows(4).any(|window| window == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(count) => received.extend_from_slice(&buffer[..count]),
        }
    }
}
