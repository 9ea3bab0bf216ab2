//! The HTTP server: accepts connections, reads each request with its body,
//! passes it to the routes and writes the reply.
//!
//! [`serve_connection`] is the one place where an accepted connection is set
//! up: it runs the TLS handshake when TLS is on, then serves HTTP/1.1.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_rustls::TlsAcceptor;

use crate::access_log;
use crate::config::Config;
use crate::control;
use crate::faults::{Action, Faults};
use crate::reply::{Reply, ReplyBody, ReplyOptions, TruncatedBody};
use crate::request::Request;
use crate::routes;
use crate::store::Store;

/// Largest request body read, in bytes. Larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Everything the connections and routes of one emulator share.
pub struct ServerState {
    pub config: Config,
    pub store: Store,
    pub faults: Faults,
    /// Acceptor for the TLS handshake; `None` serves plain HTTP.
    pub tls: Option<TlsAcceptor>,
}

impl fmt::Debug for ServerState {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("ServerState")
            .field("config", &self.config)
            .field("store", &self.store)
            .field("faults", &self.faults)
            .field("tls", &self.tls.is_some())
            .finish()
    }
}

impl ServerState {
    pub fn new(config: Config, tls: Option<TlsAcceptor>) -> ServerState {
        ServerState {
            config,
            store: Store::default(),
            faults: Faults::default(),
            tls,
        }
    }
}

/// A connection taken from the listener, on its way to a worker thread.
#[derive(Debug)]
pub struct Accepted {
    stream: std::net::TcpStream,
    peer: SocketAddr,
}

/// Accepts connections on `listener` and hands them to `workers` in turn,
/// until the `shutdown` sender is dropped.
pub async fn accept(
    listener: TcpListener,
    workers: Vec<mpsc::UnboundedSender<Accepted>>,
    mut shutdown: watch::Receiver<()>,
) {
    let mut next_worker = 0;
    loop {
        let (stream, peer) = tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Typically EMFILE: back off instead of spinning on the error.
                    log::warn!("accepting a connection failed: {error}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // The stream moves to another runtime, so it leaves this one's reactor.
        let stream = match stream.into_std() {
            Ok(stream) => stream,
            Err(error) => {
                log::warn!("handing over the connection from {peer} failed: {error}");
                continue;
            }
        };
        if workers[next_worker]
            .send(Accepted { stream, peer })
            .is_err()
        {
            // A worker stops only at shutdown.
            break;
        }
        next_worker = (next_worker + 1) % workers.len();
    }
}

/// Serves the connections `accept` hands to this worker until the `shutdown`
/// sender is dropped. Runs on the worker's own single-threaded runtime.
pub async fn work(
    mut connections: mpsc::UnboundedReceiver<Accepted>,
    state: Arc<ServerState>,
    mut shutdown: watch::Receiver<()>,
) {
    loop {
        let Accepted { stream, peer } = tokio::select! {
            _ = shutdown.changed() => break,
            received = connections.recv() => match received {
                Some(accepted) => accepted,
                None => break,
            },
        };
        match TcpStream::from_std(stream) {
            Ok(stream) => {
                tokio::spawn(serve_connection(stream, peer, Arc::clone(&state)));
            }
            Err(error) => log::warn!("taking over the connection from {peer} failed: {error}"),
        }
    }
}

/// Sets up one accepted connection (TLS handshake when TLS is on) and serves
/// HTTP/1.1 with keep-alive on it.
async fn serve_connection(stream: TcpStream, peer: SocketAddr, state: Arc<ServerState>) {
    if let Err(error) = stream.set_nodelay(true) {
        log::debug!("setting TCP_NODELAY for {peer} failed: {error}");
    }
    match state.tls.clone() {
        None => serve_http(stream, peer, state).await,
        Some(acceptor) => match acceptor.accept(stream).await {
            Ok(stream) => serve_http(stream, peer, state).await,
            Err(error) => log::warn!("TLS handshake with {peer} failed: {error}"),
        },
    }
}

async fn serve_http<S>(stream: S, peer: SocketAddr, state: Arc<ServerState>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let io = TokioIo::new(stream);
    let service = service_fn(move |request| handle(request, peer, Arc::clone(&state)));

    let mut builder = http1::Builder::new();
    // Idle keep-alive connections stay open until the client closes them.
    builder.keep_alive(true).header_read_timeout(None);
    if let Err(error) = builder.serve_connection(io, service).await {
        if is_fault_error(&error) {
            log::debug!("connection from {peer} ended by a fault: {error}");
        } else if error.is_incomplete_message() {
            // Clients do this when they cancel a request, such as a pending long-poll.
            log::info!("connection from {peer} closed by the client before the reply: {error}");
        } else {
            log::warn!("connection from {peer} ended with an error: {error}");
        }
    }
}

/// Error a service call returns to make hyper close the connection without
/// a reply (the `close` fault).
#[derive(Debug)]
pub struct ClosedByFault;

impl fmt::Display for ClosedByFault {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("connection closed by a fault")
    }
}

impl std::error::Error for ClosedByFault {}

/// Tells whether a connection error was caused on purpose by a `close` or
/// `truncate` fault.
fn is_fault_error(error: &hyper::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(current) = cause {
        if current.is::<ClosedByFault>() || current.is::<TruncatedBody>() {
            return true;
        }
        cause = current.source();
    }
    false
}

async fn handle(
    request: hyper::Request<Incoming>,
    peer: SocketAddr,
    state: Arc<ServerState>,
) -> Result<Response<ReplyBody>, ClosedByFault> {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let mut options = ReplyOptions::from_request(&parts.headers, parts.version);
    let raw_path = parts.uri.path().to_owned();
    let raw_query = parts.uri.query().unwrap_or("").to_owned();
    let target = access_log::Target {
        peer,
        method: &parts.method,
        raw_path: &raw_path,
        raw_query: &raw_query,
    };

    let body = match read_body(body).await {
        Ok(body) => body,
        Err(reply) => {
            let outcome = access_log::Outcome::Reply(reply.status, &reply.body);
            access_log::request(&target, outcome, started);
            return Ok(reply.into_response(options));
        }
    };
    let mut request = Request::new(
        parts.method.clone(),
        &raw_path,
        &raw_query,
        parts.headers,
        body,
    );

    let reply = if control::is_control_path(&raw_path) {
        control::handle(&state, &request)
    } else {
        let applied = state.faults.take(&request.method, &raw_path, || {
            routes::changes_action(&request)
        });
        match applied {
            None => routes::route(&state, &request).await,
            Some(applied) => {
                log::info!(
                    "fault {} ({}) applies to {} {}",
                    applied.id,
                    applied.kind.name(),
                    parts.method,
                    access_log::loggable_path(&raw_path)
                );
                match applied.action {
                    Action::Reply(reply) => reply,
                    Action::EventNotPublished => {
                        request.publish_events = false;
                        routes::route(&state, &request).await
                    }
                    Action::Delay(delay) => {
                        let reply = routes::route(&state, &request).await;
                        tokio::time::sleep(delay).await;
                        reply
                    }
                    Action::Truncate => {
                        options.truncate = true;
                        routes::route(&state, &request).await
                    }
                    Action::Close => {
                        access_log::request(&target, access_log::Outcome::Closed, started);
                        return Err(ClosedByFault);
                    }
                }
            }
        }
    };

    let outcome = if options.truncate {
        access_log::Outcome::Truncated(reply.status, &reply.body)
    } else {
        access_log::Outcome::Reply(reply.status, &reply.body)
    };
    access_log::request(&target, outcome, started);
    Ok(reply.into_response(options))
}

/// Reads the whole request body, up to [`MAX_BODY_BYTES`].
async fn read_body(body: Incoming) -> Result<Bytes, Reply> {
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => {
            Err(crate::reply::body_too_large())
        }
        Err(error) => {
            log::warn!("reading a request body failed: {error}");
            let message = format!("Reading the request body failed: {error}");
            Err(crate::reply::routing_error(
                StatusCode::BAD_REQUEST,
                &message,
            ))
        }
    }
}
