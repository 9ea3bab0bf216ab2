//! Settings of one emulator instance.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::time::Duration;

use crate::access::{AccessRules, Permissions};
use crate::faults::Fault;

/// Default wait of an empty subscribe long-poll. SDK subscribe timeouts are
/// 310 s and the Swift SDK pads its timeout by 280 s, so a 280 s hold returns
/// before any SDK gives up.
pub const DEFAULT_SUBSCRIBE_HOLD: Duration = Duration::from_secs(280);

/// Settings of one emulator instance.
///
/// Build it from [`Config::default`] and the builder methods, or set the public
/// fields with `..Config::default()` so that fields added later keep compiling.
#[derive(Clone)]
pub struct Config {
    /// Address to listen on. Default `127.0.0.1`.
    pub host: IpAddr,
    /// TCP port to listen on; 0 picks a free port. Default 0.
    pub port: u16,
    /// Subscribe keys that are accepted. Empty (the default) accepts any key.
    pub subscribe_keys: Vec<String>,
    /// Publish keys that are accepted. Empty (the default) accepts any key.
    pub publish_keys: Vec<String>,
    /// Secret key. When set, every request except `/time/0` must carry a
    /// `timestamp` within 60 s of the emulator's clock and a valid v2
    /// `signature`, which needs at least one entry in `publish_keys`.
    pub secret_key: Option<String>,
    /// Access rules. When set, requests need an `auth` key granted the
    /// access each endpoint needs; see [`AccessRules`]. Default `None`: no checks.
    pub access_rules: Option<AccessRules>,
    /// How long a subscribe long-poll with nothing to deliver waits before it
    /// returns an empty reply. Default 280 s.
    pub subscribe_hold: Duration,
    /// Number of threads serving requests, each with a single-threaded tokio
    /// runtime; a connection stays on one thread. Default: the number of CPUs
    /// the process may use, at least 1.
    pub worker_threads: usize,
    /// Serve HTTPS with a self-signed certificate generated at start, valid
    /// for `127.0.0.1`, `::1`, `localhost` and `host`. Default false (HTTP).
    pub tls: bool,
    /// File that receives the certificate in PEM when `tls` is on. With `None`
    /// (the default) the emulator writes it to the system's temporary
    /// directory and removes it when it stops.
    /// [`crate::Emulator::certificate_path`] returns the path in both cases.
    pub tls_certificate_path: Option<PathBuf>,
    /// Faults pending from the start, in the order they apply. Default none.
    pub faults: Vec<Fault>,
}

impl Default for Config {
    fn default() -> Self {
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        Config {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            subscribe_keys: Vec::new(),
            publish_keys: Vec::new(),
            secret_key: None,
            access_rules: None,
            subscribe_hold: DEFAULT_SUBSCRIBE_HOLD,
            worker_threads: cpus.max(1),
            tls: false,
            tls_certificate_path: None,
            faults: Vec::new(),
        }
    }
}

impl Config {
    /// Sets the address to listen on.
    pub fn host(mut self, host: IpAddr) -> Self {
        self.host = host;
        self
    }

    /// Sets the TCP port to listen on (0 picks a free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Adds an accepted subscribe key. Once one is added, other keys are rejected.
    pub fn subscribe_key(mut self, key: impl Into<String>) -> Self {
        self.subscribe_keys.push(key.into());
        self
    }

    /// Adds an accepted publish key. Once one is added, other keys are rejected.
    pub fn publish_key(mut self, key: impl Into<String>) -> Self {
        self.publish_keys.push(key.into());
        self
    }

    /// Sets the secret key, which makes signed requests mandatory.
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        self.secret_key = Some(key.into());
        self
    }

    /// Grants `permissions` on `channel` (or `"*"` for every channel) to
    /// `auth_key`, turning access checks on.
    pub fn grant(
        mut self,
        auth_key: impl Into<String>,
        channel: impl Into<String>,
        permissions: Permissions,
    ) -> Self {
        self.access_rules
            .get_or_insert_with(AccessRules::new)
            .grant(auth_key, channel, permissions);
        self
    }

    /// Sets the access rules, turning access checks on.
    pub fn access_rules(mut self, rules: AccessRules) -> Self {
        self.access_rules = Some(rules);
        self
    }

    /// Sets how long an empty subscribe long-poll waits.
    pub fn subscribe_hold(mut self, hold: Duration) -> Self {
        self.subscribe_hold = hold;
        self
    }

    /// Sets the number of threads serving requests (at least 1).
    pub fn worker_threads(mut self, count: usize) -> Self {
        self.worker_threads = count;
        self
    }

    /// Turns HTTPS with a generated self-signed certificate on or off.
    pub fn tls(mut self, enabled: bool) -> Self {
        self.tls = enabled;
        self
    }

    /// Sets the file that receives the PEM certificate when TLS is on.
    pub fn tls_certificate_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.tls_certificate_path = Some(path.into());
        self
    }

    /// Adds a fault that is pending from the start.
    pub fn fault(mut self, fault: Fault) -> Self {
        self.faults.push(fault);
        self
    }

    /// Returns why this configuration cannot run, if it cannot.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.worker_threads == 0 {
            return Err("worker_threads must be at least 1".to_owned());
        }
        if self.tls_certificate_path.is_some() && !self.tls {
            return Err("a TLS certificate path needs TLS turned on".to_owned());
        }
        if self.secret_key.is_some() && self.publish_keys.is_empty() {
            return Err(
                "a secret key needs at least one publish key, because signatures are computed over the publish key"
                    .to_owned(),
            );
        }
        Ok(())
    }

    pub(crate) fn accepts_subscribe_key(&self, key: &str) -> bool {
        self.subscribe_keys.is_empty() || self.subscribe_keys.iter().any(|known| known == key)
    }

    pub(crate) fn accepts_publish_key(&self, key: &str) -> bool {
        self.publish_keys.is_empty() || self.publish_keys.iter().any(|known| known == key)
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Config")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("subscribe_keys", &self.subscribe_keys)
            .field("publish_keys", &self.publish_keys)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("access_rules", &self.access_rules)
            .field("subscribe_hold", &self.subscribe_hold)
            .field("worker_threads", &self.worker_threads)
            .field("tls", &self.tls)
            .field("tls_certificate_path", &self.tls_certificate_path)
            .field("faults", &self.faults)
            .finish()
    }
}
