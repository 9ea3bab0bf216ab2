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
mod access_log;
mod clock;
mod config;
mod control;
mod events;
mod faults;
mod json;
mod reply;
mod request;
mod routes;
mod server;
pub mod signature;
mod store;
mod tls;

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::net::TcpSocket;
use tokio::sync::oneshot;

pub use access::{Access, AccessRules, Permissions};
pub use config::Config;
pub use faults::{Fault, FaultError, FaultKind, PendingFault};

/// Pending connections the listening socket queues before `accept`.
const LISTEN_BACKLOG: u32 = 1024;

/// Maximum wait for in-flight requests when an emulator stops.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// A running emulator. Dropping it stops the server and joins its threads.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    state: Arc<server::ServerState>,
    certificate: Option<CertificateFile>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// The TLS certificate of an emulator and the file it was written to.
#[derive(Debug)]
struct CertificateFile {
    pem: String,
    path: PathBuf,
    /// The emulator chose a temporary path and removes the file when it stops.
    is_temporary: bool,
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
    /// Returns an `InvalidInput` error for a configuration that cannot work,
    /// such as 0 worker threads or a secret key without a publish key. Other
    /// errors come from binding (for example `AddrInUse`), from generating or
    /// writing the TLS certificate, or from creating the runtime or thread.
    pub fn start(config: Config) -> io::Result<Emulator> {
        config
            .validate()
            .map_err(|message| io::Error::new(io::ErrorKind::InvalidInput, message))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.worker_threads)
            .thread_name("pubnub-emulator-worker")
            .enable_all()
            .build()?;
        let identity = if config.tls {
            Some(tls::generate(config.host)?)
        } else {
            None
        };
        let bind_addr = SocketAddr::new(config.host, config.port);
        let listener = {
            let _runtime_context = runtime.enter();
            let socket = match bind_addr {
                SocketAddr::V4(_) => TcpSocket::new_v4()?,
                SocketAddr::V6(_) => TcpSocket::new_v6()?,
            };
            socket.set_reuseaddr(true)?;
            socket.bind(bind_addr).map_err(|error| {
                io::Error::new(
                    error.kind(),
                    format!("listening on {bind_addr} failed: {error}"),
                )
            })?;
            socket.listen(LISTEN_BACKLOG)?
        };
        let addr = listener.local_addr()?;
        let certificate = match &identity {
            Some(identity) => Some(write_certificate(&config, addr, &identity.certificate_pem)?),
            None => None,
        };
        let acceptor = identity.map(|identity| identity.acceptor);
        let state = Arc::new(server::ServerState::new(config, acceptor));
        for fault in &state.config.faults {
            state
                .faults
                .add(fault)
                .map_err(|error| io::Error::new(io::ErrorKind::InvalidInput, error))?;
        }
        let served_state = Arc::clone(&state);
        let (shutdown, shutdown_received) = oneshot::channel();

        let thread = std::thread::Builder::new()
            .name(format!("pubnub-emulator-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(server::serve(listener, served_state, shutdown_received));
                runtime.shutdown_timeout(SHUTDOWN_TIMEOUT);
            })?;
        let scheme = if certificate.is_some() {
            "https"
        } else {
            "http"
        };
        log::info!("pubnub-emulator listening on {scheme}://{addr}");

        Ok(Emulator {
            addr,
            state,
            certificate,
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

    /// Tells whether the emulator serves HTTPS.
    pub fn is_tls(&self) -> bool {
        self.certificate.is_some()
    }

    /// Returns `http://host:port` or, with TLS, `https://host:port`.
    pub fn base_url(&self) -> String {
        let scheme = if self.is_tls() { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// Returns the self-signed certificate in PEM when TLS is on. A client
    /// that trusts it as a root certificate can verify the emulator.
    pub fn certificate_pem(&self) -> Option<&str> {
        self.certificate
            .as_ref()
            .map(|certificate| certificate.pem.as_str())
    }

    /// Returns the file that contains [`Emulator::certificate_pem`] when TLS
    /// is on, for clients that take a CA file.
    pub fn certificate_path(&self) -> Option<&Path> {
        self.certificate
            .as_ref()
            .map(|certificate| certificate.path.as_path())
    }
}

impl Emulator {
    /// Adds a fault after the pending ones and returns it with its id. It
    /// applies to the next `count` requests that match it.
    ///
    /// # Errors
    ///
    /// Returns what is wrong with the fault, such as a missing `status` for
    /// [`FaultKind::Reply`] or a field that does not apply to its kind.
    pub fn add_fault(&self, fault: Fault) -> Result<PendingFault, FaultError> {
        self.state.faults.add(&fault)
    }

    /// Returns the pending faults in the order they apply, each with the
    /// number of requests it still applies to.
    pub fn faults(&self) -> Vec<PendingFault> {
        self.state.faults.list()
    }

    /// Removes every pending fault and returns how many there were.
    pub fn clear_faults(&self) -> usize {
        self.state.faults.clear()
    }
}

/// Writes the certificate to the configured path, or to a temporary one.
fn write_certificate(config: &Config, addr: SocketAddr, pem: &str) -> io::Result<CertificateFile> {
    let (path, is_temporary) = match &config.tls_certificate_path {
        Some(path) => (path.clone(), false),
        None => (tls::temporary_certificate_path(addr.port()), true),
    };
    tls::write_certificate(&path, pem)?;
    Ok(CertificateFile {
        pem: pem.to_owned(),
        path,
        is_temporary,
    })
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
        if let Some(certificate) = &self.certificate
            && certificate.is_temporary
            && let Err(error) = std::fs::remove_file(&certificate.path)
        {
            log::warn!(
                "removing the temporary TLS certificate {} failed: {error}",
                certificate.path.display()
            );
        }
        log::info!("pubnub-emulator on {} stopped", self.addr);
    }
}
