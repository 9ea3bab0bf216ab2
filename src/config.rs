//! Client configuration: keys, user id, origin, TLS, timeouts and worker pool size.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::Code;

/// Default connect and request timeout: 10 s, the PubNub Python SDK's
/// `connect_timeout` and `non_subscribe_request_timeout` (pubnub 10.x, `pnconfiguration.py`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default number of worker threads that run asynchronous requests.
pub const DEFAULT_WORKER_COUNT: usize = 4;
/// Default number of asynchronous requests that may wait for a worker.
pub const DEFAULT_QUEUE_CAPACITY: usize = 4096;
/// Maximum user id length in bytes. PubNub documents `uuid` as at most 92 characters;
/// NOTE: whether the service counts bytes or characters is unverified, so this check
/// may reject a 92-character id that uses multi-byte UTF-8.
pub const MAX_USER_ID_BYTES: usize = 92;
/// Largest accepted worker count.
pub const MAX_WORKER_COUNT: usize = 256;
/// Largest accepted queue capacity.
pub const MAX_QUEUE_CAPACITY: usize = 1_000_000;
/// Smallest accepted timeout.
pub const MIN_TIMEOUT: Duration = Duration::from_millis(1);
/// Largest accepted timeout.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(3600);

/// Settings of one client.
///
/// There is no default origin: set it to the emulator's address
/// (`127.0.0.1:PORT`, with `tls` off) or to the PubNub origin your account uses.
#[derive(Clone)]
pub struct Config {
    /// Subscribe key of the key set (required).
    pub subscribe_key: String,
    /// Publish key; needed for publishing and for signing with a secret key.
    pub publish_key: Option<String>,
    /// Secret key; when set, every request carries a v2 signature and a timestamp.
    pub secret_key: Option<String>,
    /// Access Manager auth key or token, sent as the `auth` query parameter.
    pub auth_key: Option<String>,
    /// User id sent as the `uuid` query parameter; it becomes the author of added actions.
    pub user_id: String,
    /// Host, or host:port, of the service.
    pub origin: String,
    /// Whether to use HTTPS (with certificate verification) instead of plain HTTP.
    pub tls: bool,
    /// PEM file of certificate authorities to trust instead of the built-in Mozilla roots.
    pub ca_file: Option<PathBuf>,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, from start to the last byte of the reply.
    pub request_timeout: Duration,
    /// Worker threads that run asynchronous requests.
    pub worker_count: usize,
    /// Asynchronous requests that may wait for a free worker; more are rejected with [`Code::QueueFull`].
    pub queue_capacity: usize,
}

impl Config {
    /// Creates a configuration with the required settings and defaults for the rest
    /// (TLS on, 10 s timeouts, 4 workers, a queue of 4096).
    pub fn new(subscribe_key: &str, user_id: &str, origin: &str) -> Config {
        Config {
            subscribe_key: subscribe_key.to_owned(),
            publish_key: None,
            secret_key: None,
            auth_key: None,
            user_id: user_id.to_owned(),
            origin: origin.to_owned(),
            tls: true,
            ca_file: None,
            connect_timeout: DEFAULT_TIMEOUT,
            request_timeout: DEFAULT_TIMEOUT,
            worker_count: DEFAULT_WORKER_COUNT,
            queue_capacity: DEFAULT_QUEUE_CAPACITY,
        }
    }

    /// Checks every setting and returns the code of the first invalid one.
    pub fn validate(&self) -> Result<(), Code> {
        if self.subscribe_key.is_empty() {
            return Err(Code::SubscribeKeyEmpty);
        }
        if self.user_id.is_empty() {
            return Err(Code::UserIdEmpty);
        }
        if self.user_id.len() > MAX_USER_ID_BYTES {
            return Err(Code::UserIdTooLong);
        }
        if self.origin.is_empty() {
            return Err(Code::OriginEmpty);
        }
        if !is_valid_origin(&self.origin) {
            return Err(Code::OriginInvalid);
        }
        if self.secret_key.is_some() && self.publish_key.is_none() {
            return Err(Code::SecretKeyWithoutPublishKey);
        }
        if !(1..=MAX_WORKER_COUNT).contains(&self.worker_count) {
            return Err(Code::WorkerCountInvalid);
        }
        if !(1..=MAX_QUEUE_CAPACITY).contains(&self.queue_capacity) {
            return Err(Code::QueueCapacityInvalid);
        }
        let valid_timeout = |timeout: Duration| timeout >= MIN_TIMEOUT && timeout <= MAX_TIMEOUT;
        if !valid_timeout(self.connect_timeout) || !valid_timeout(self.request_timeout) {
            return Err(Code::TimeoutInvalid);
        }
        Ok(())
    }

    /// Returns `http://origin` or `https://origin`.
    pub(crate) fn base_url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.origin)
    }
}

/// Accepts `host` or `host:port`, including bracketed IPv6 literals.
fn is_valid_origin(origin: &str) -> bool {
    origin
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || b".-_:[]".contains(&byte))
        && !origin.starts_with(':')
}

// Keys and tokens are secrets, so Debug prints only whether they are set.
impl fmt::Debug for Config {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |value: &Option<String>| if value.is_some() { "<set>" } else { "<unset>" };
        formatter
            .debug_struct("Config")
            .field("subscribe_key", &self.subscribe_key)
            .field("publish_key", &self.publish_key)
            .field("secret_key", &redacted(&self.secret_key))
            .field("auth_key", &redacted(&self.auth_key))
            .field("user_id", &self.user_id)
            .field("origin", &self.origin)
            .field("tls", &self.tls)
            .field("ca_file", &self.ca_file)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("worker_count", &self.worker_count)
            .field("queue_capacity", &self.queue_capacity)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> Config {
        Config::new("sub-c-TEST", "user-1", "127.0.0.1:8090")
    }

    #[test]
    fn defaults_match_python_sdk() {
        let config = valid();
        assert!(config.tls);
        assert_eq!(config.connect_timeout, Duration::from_secs(10));
        assert_eq!(config.request_timeout, Duration::from_secs(10));
        assert_eq!(config.validate(), Ok(()));
        assert_eq!(config.base_url(), "https://127.0.0.1:8090");
    }

    #[test]
    fn validate_rejects_each_bad_setting() {
        type Change = fn(&mut Config);
        let cases: Vec<(Change, Code)> = vec![
            (|c| c.subscribe_key.clear(), Code::SubscribeKeyEmpty),
            (|c| c.user_id.clear(), Code::UserIdEmpty),
            (|c| c.user_id = "u".repeat(93), Code::UserIdTooLong),
            (|c| c.origin.clear(), Code::OriginEmpty),
            (
                |c| c.origin = "http://127.0.0.1".into(),
                Code::OriginInvalid,
            ),
            (|c| c.origin = "host/path".into(), Code::OriginInvalid),
            (|c| c.origin = "user@host".into(), Code::OriginInvalid),
            (
                |c| c.secret_key = Some("sec".into()),
                Code::SecretKeyWithoutPublishKey,
            ),
            (|c| c.worker_count = 257, Code::WorkerCountInvalid),
            (|c| c.worker_count = 0, Code::WorkerCountInvalid),
            (|c| c.queue_capacity = 1_000_001, Code::QueueCapacityInvalid),
            (|c| c.queue_capacity = 0, Code::QueueCapacityInvalid),
            (|c| c.connect_timeout = Duration::ZERO, Code::TimeoutInvalid),
            (
                |c| c.request_timeout = Duration::from_secs(3601),
                Code::TimeoutInvalid,
            ),
        ];
        for (change, expected) in cases {
            let mut config = valid();
            change(&mut config);
            assert_eq!(config.validate(), Err(expected));
        }
    }

    #[test]
    fn validate_accepts_ipv6_and_92_byte_user_id() {
        let mut config = valid();
        config.origin = "[::1]:8090".into();
        config.user_id = "u".repeat(92);
        assert_eq!(config.validate(), Ok(()));
    }

    #[test]
    fn debug_hides_secrets() {
        let mut config = valid();
        config.publish_key = Some("pub-c-TEST".into());
        config.secret_key = Some("sec-c-SECRET".into());
        config.auth_key = Some("AUTH-SECRET".into());
        let shown = format!("{config:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("secret_key: \"<set>\""), "{shown}");
    }
}
