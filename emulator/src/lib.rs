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
mod action_json;
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

use tokio::net::{TcpListener, TcpSocket};
use tokio::runtime::Runtime;
use tokio::sync::{mpsc, watch};

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
    shutdown: Option<watch::Sender<()>>,
    threads: Vec<JoinHandle<()>>,
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
    /// Binds the listening socket and starts serving on worker threads of its
    /// own, each running a single-threaded tokio runtime. Returns once the
    /// socket is listening, so a client may connect right away.
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
        let runtimes = (0..config.worker_threads)
            .map(|_| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
            })
            .collect::<io::Result<Vec<Runtime>>>()?;
        let identity = if config.tls {
            Some(tls::generate(config.host)?)
        } else {
            None
        };
        let bind_addr = SocketAddr::new(config.host, config.port);
        let listener = {
            // The first worker's runtime drives the listener and the accept loop.
            let _runtime_context = runtimes[0].enter();
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

        let (shutdown, shutdown_received) = watch::channel(());
        let threads = match start_workers(runtimes, listener, &state, &shutdown_received) {
            Ok(threads) => threads,
            Err(error) => {
                // Dropping the sender stops the workers that did start.
                drop(shutdown);
                return Err(error);
            }
        };
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
            threads,
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

/// Starts one thread per runtime. Each serves the connections handed to it,
/// and the first also runs the accept loop, which hands new connections to
/// the workers in turn. A connection stays on one thread, so no request wakes
/// another thread.
fn start_workers(
    runtimes: Vec<Runtime>,
    listener: TcpListener,
    state: &Arc<server::ServerState>,
    shutdown: &watch::Receiver<()>,
) -> io::Result<Vec<JoinHandle<()>>> {
    let port = listener.local_addr()?.port();
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..runtimes.len())
        .map(|_| mpsc::unbounded_channel())
        .unzip();
    let mut accept_loop = Some(server::accept(listener, senders, shutdown.clone()));
    let mut threads = Vec::with_capacity(runtimes.len());

    for (index, (runtime, connections)) in runtimes.into_iter().zip(receivers).enumerate() {
        let accept_loop = accept_loop.take();
        let worker = server::work(connections, Arc::clone(state), shutdown.clone());
        let spawned = std::thread::Builder::new()
            .name(format!("pubnub-emulator-{port}-{index}"))
            .spawn(move || {
                runtime.block_on(async move {
                    if let Some(accept_loop) = accept_loop {
                        tokio::spawn(accept_loop);
                    }
                    worker.await;
                });
                runtime.shutdown_timeout(SHUTDOWN_TIMEOUT);
            });
        match spawned {
            Ok(thread) => threads.push(thread),
            Err(error) => return Err(error),
        }
    }
    Ok(threads)
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
        // Dropping the sender stops every worker.
        drop(self.shutdown.take());
        for thread in self.threads.drain(..) {
            if thread.join().is_err() {
                log::error!("a pubnub-emulator thread for {} panicked", self.addr);
            }
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
