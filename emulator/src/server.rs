//! The HTTP server: accepts connections, reads each request with its body,
//! passes it to the routes and writes the reply.
//!
//! [`serve_connection`] is the one place where an accepted connection is set
//! up: it runs the TLS handshake when TLS is on, then serves HTTP/1.1.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;

use crate::config::Config;
use crate::reply::{Reply, ReplyOptions};
use crate::request::Request;
use crate::routes;
use crate::store::Store;

/// Largest request body read, in bytes. Larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Maximum length of a logged request path, in characters. Publish paths
/// carry whole messages.
const LOGGED_PATH_CHARS: usize = 160;

/// Everything the connections and routes of one emulator share.
pub struct ServerState {
    pub config: Config,
    pub store: Store,
    /// Acceptor for the TLS handshake; `None` serves plain HTTP.
    pub tls: Option<TlsAcceptor>,
}

impl ServerState {
    pub fn new(config: Config, tls: Option<TlsAcceptor>) -> ServerState {
        ServerState {
            config,
            store: Store::default(),
            tls,
        }
    }
}

/// Accepts connections on `listener` until `shutdown` fires or its sender is dropped.
pub async fn serve(
    listener: TcpListener,
    state: Arc<ServerState>,
    mut shutdown: oneshot::Receiver<()>,
) {
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    tokio::spawn(serve_connection(stream, peer, Arc::clone(&state)));
                }
                Err(error) => {
                    // Typically EMFILE: back off instead of spinning on the error.
                    log::warn!("accepting a connection failed: {error}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
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
        log::debug!("connection from {peer} ended with an error: {error}");
    }
}

async fn handle(
    request: hyper::Request<Incoming>,
    peer: SocketAddr,
    state: Arc<ServerState>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let options = ReplyOptions::from_request(&parts.headers, parts.version);
    let raw_path = parts.uri.path().to_owned();
    let raw_query = parts.uri.query().unwrap_or("").to_owned();

    let reply = match read_body(body).await {
        Ok(body) => {
            let request = Request::new(
                parts.method.clone(),
                &raw_path,
                &raw_query,
                parts.headers,
                body,
            );
            routes::route(&state, &request).await
        }
        Err(reply) => reply,
    };

    log_request(peer, &parts.method, &raw_path, reply.status, started);
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
            log::debug!("reading a request body failed: {error}");
            let message = format!("Reading the request body failed: {error}");
            Err(crate::reply::routing_error(
                StatusCode::BAD_REQUEST,
                &message,
            ))
        }
    }
}

/// Logs one line per request. The query is left out because it carries the
/// `auth` key and the signature.
fn log_request(
    peer: SocketAddr,
    method: &hyper::Method,
    raw_path: &str,
    status: StatusCode,
    started: Instant,
) {
    if !log::log_enabled!(log::Level::Info) {
        return;
    }
    let path: String = raw_path.chars().take(LOGGED_PATH_CHARS).collect();
    let ellipsis = if path.len() < raw_path.len() {
        "..."
    } else {
        ""
    };
    let micros = started.elapsed().as_micros();
    log::info!(
        "{peer} {method} {path}{ellipsis} -> {} in {micros} us",
        status.as_u16()
    );
}
