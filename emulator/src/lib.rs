//! A local server that responds like the PubNub service for Message Actions,
//! publish, history, subscribe and time, so tests and demos run on one machine
//! with no account.
//!
//! ```no_run
//! let emulator = pubnub_emulator::Emulator::start(pubnub_emulator::Config::default())?;
//! println!("origin for the client: {}", emulator.origin());
//! drop(emulator); // stops the server and joins its threads
//! # Ok::<(), std::io::Error>(())
//! ```

mod access;
mod clock;
mod config;
mod events;
mod json;
mod reply;
mod request;
mod routes;
mod server;
pub mod signature;
mod store;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::net::TcpSocket;
use tokio::sync::oneshot;

pub use access::{Access, AccessRules, Permissions};
pub use config::Config;

/// Pending connections the listening socket queues before `accept`.
const LISTEN_BACKLOG: u32 = 1024;

/// Maximum wait for in-flight requests when an emulator stops.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// A running emulator. Dropping it stops the server and joins its threads.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Binds the listening socket and starts serving on a thread of its own,
    /// with its own tokio runtime. Returns once the socket is listening, so a
    /// client may connect right away.
    ///
    /// Works from synchronous code and from inside another tokio runtime.
    ///
    /// # Errors
    ///
    /// Returns the bind error (for example `AddrInUse`), an `InvalidInput`
    /// error for a configuration that cannot work (such as 0 worker threads
    /// or a secret key without a publish key),
    /// or the error of creating the runtime or the thread.
    pub fn start(config: Config) -> io::Result<Emulator> {
        config
            .validate()
            .map_err(|message| io::Error::new(io::ErrorKind::InvalidInput, message))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.worker_threads)
            .thread_name("pubnub-emulator-worker")
            .enable_all()
            .build()?;
        let bind_addr = SocketAddr::new(config.host, config.port);
        let listener = {
            let _runtime_context = runtime.enter();
            let socket = match bind_addr {
                SocketAddr::V4(_) => TcpSocket::new_v4()?,
                SocketAddr::V6(_) => TcpSocket::new_v6()?,
            };
            socket.set_reuseaddr(true)?;
            socket.bind(bind_addr)?;
            socket.listen(LISTEN_BACKLOG)?
        };
        let addr = listener.local_addr()?;
        let state = Arc::new(server::ServerState::new(config));
        let (shutdown, shutdown_received) = oneshot::channel();

        let thread = std::thread::Builder::new()
            .name(format!("pubnub-emulator-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(server::serve(listener, state, shutdown_received));
                runtime.shutdown_timeout(SHUTDOWN_TIMEOUT);
            })?;
        log::info!("pubnub-emulator listening on http://{addr}");

        Ok(Emulator {
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// Returns the address the emulator listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Returns `host:port`, the value a client puts in its origin setting.
    pub fn origin(&self) -> String {
        self.addr.to_string()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // An error means the server loop already ended; joining still applies.
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            log::error!("the pubnub-emulator thread for {} panicked", self.addr);
        }
        log::info!("pubnub-emulator on {} stopped", self.addr);
    }
}
