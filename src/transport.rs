//! HTTP transport: one ureq `Agent` per client, so connections are kept alive
//! and shared by every thread that sends through the client.

use std::io::Read;
use std::sync::Arc;

use log::debug;
use std::net::{IpAddr, SocketAddr};

use ureq::Agent;
use ureq::http::Uri;
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::config::Config;
use crate::endpoints::{Method, PreparedRequest, Reply, StatusContext};
use crate::error::{Code, Operation, Status};

/// Idle connections kept for reuse, at least; more when there are more workers.
const MIN_IDLE_CONNECTIONS: usize = 16;

/// Largest reply body read, in bytes; a get page of 100 actions is far smaller.
const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// Sends prepared requests to the configured origin.
#[derive(Clone)]
pub struct Transport {
    agent: Agent,
    base_url: Arc<str>,
}

impl Transport {
    /// Creates the agent; fails only when `ca_file` cannot be used.
    pub fn new(config: &Config) -> Result<Transport, Code> {
        let mut tls = TlsConfig::builder();
        if let Some(path) = &config.ca_file {
            tls = tls.root_certs(read_ca_file(path)?);
        }
        let idle_connections = config.worker_count.max(MIN_IDLE_CONNECTIONS);
        let agent_config = Agent::config_builder()
            .timeout_connect(Some(config.connect_timeout))
            .timeout_global(Some(config.request_timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(crate::endpoints::PNSDK)
            // Keep one idle connection per worker, and room for threads making
            // blocking calls, so busy clients do not reconnect for every request.
            .max_idle_connections(idle_connections)
            .max_idle_connections_per_host(idle_connections)
            .tls_config(tls.build())
            // Requests go to the configured origin only, never through a proxy
            // named by HTTP_PROXY or ALL_PROXY.
            .proxy(None)
            // Compression is requested per request in `send`.
            .accept_encoding("identity")
            .build();
        let agent = Agent::with_parts(
            agent_config,
            DefaultConnector::default(),
            OriginResolver::default(),
        );
        Ok(Transport {
            agent,
            base_url: config.base_url().into(),
        })
    }

    /// Sends one request and reads the whole reply, or returns the status of a
    /// transport failure (timeout, connection, TLS, unreadable body).
    pub fn send(
        &self,
        context: &StatusContext,
        method: Method,
        request: &PreparedRequest,
    ) -> Result<Reply, Status> {
        let url = format!("{}{}", self.base_url, request.path_and_query);
        debug!(
            "request {} {} {} on channel {:?}",
            context.request_id,
            method.as_str(),
            context.operation.name(),
            context.channel
        );
        let sent = match (method, &request.body) {
            (Method::Post, Some(body)) => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.as_bytes()),
            (Method::Post, None) => self.agent.post(&url).send_empty(),
            // Only a page of actions (up to 100, about 15 KB) is worth
            // compressing; add, remove and publish replies are a few hundred bytes.
            (Method::Get, _) if context.operation == Operation::GetMessageActions => self
                .agent
                .get(&url)
                .header("Accept-Encoding", "gzip")
                .call(),
            (Method::Get, _) => self.agent.get(&url).call(),
            (Method::Delete, _) => self.agent.delete(&url).call(),
        };
        let mut response = sent.map_err(|error| transport_status(context, &error))?;

        let http_status = response.status().as_u16();
        let retry_after_seconds = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse().ok());
        let mut body = Vec::new();
        let read = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .reader()
            .read_to_end(&mut body);
        if let Err(error) = read {
            let code = if is_timeout(&error) {
                Code::Timeout
            } else {
                Code::MalformedResponse
            };
            let message = format!(
                "{} (HTTP {http_status}): reading the body failed after {} bytes: {error}{}",
                code.message(),
                body.len(),
                outcome_hint(context, code)
            );
            return Err(context.status(code, http_status, message));
        }
        Ok(Reply {
            http_status,
            body,
            retry_after_seconds,
        })
    }
}

/// Resolves an origin that is an IP address without a lookup, and any other
/// host with ureq's resolver. ureq's resolver starts a thread for every request
/// when a timeout is set, even for an IP address (ureq 3.5, `resolver.rs`).
#[derive(Debug, Default)]
struct OriginResolver {
    lookup: DefaultResolver,
}

impl Resolver for OriginResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let literal = uri.authority().and_then(|authority| {
            let host = authority
                .host()
                .trim_start_matches('[')
                .trim_end_matches(']');
            let ip = host.parse::<IpAddr>().ok()?;
            let default_port = if uri.scheme_str() == Some("https") {
                443
            } else {
                80
            };
            Some(SocketAddr::new(
                ip,
                authority.port_u16().unwrap_or(default_port),
            ))
        });
        match literal {
            Some(address) => {
                let mut addresses = self.empty();
                addresses.push(address);
                Ok(addresses)
            }
            None => self.lookup.resolve(uri, config, timeout),
        }
    }
}

/// Reads PEM certificates to trust instead of the built-in Mozilla roots.
fn read_ca_file(path: &std::path::Path) -> Result<RootCerts, Code> {
    let pem = std::fs::read(path).map_err(|_| Code::CaFileInvalid)?;
    let certificates: Vec<Certificate<'static>> = ureq::tls::parse_pem(&pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(certificate)) => Some(certificate),
            _ => None,
        })
        .collect();
    if certificates.is_empty() {
        return Err(Code::CaFileInvalid);
    }
    Ok(RootCerts::new_with_certs(&certificates))
}

/// Reports whether a body read failed because the request timeout expired.
fn is_timeout(error: &std::io::Error) -> bool {
    let wrapped = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<ureq::Error>());
    error.kind() == std::io::ErrorKind::TimedOut || matches!(wrapped, Some(ureq::Error::Timeout(_)))
}

fn rustls_error(error: &std::io::Error) -> Option<&rustls::Error> {
    error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
}

fn tls_code(error: &rustls::Error) -> Code {
    match error {
        rustls::Error::InvalidCertificate(_) => Code::TlsCertificateUntrusted,
        _ => Code::TlsFailed,
    }
}

/// Warns that a change may have been applied when the request may have reached
/// the server before failing, so callers check before repeating it.
fn outcome_hint(context: &StatusContext, code: Code) -> &'static str {
    let changes_state = context.operation != Operation::GetMessageActions;
    let may_have_arrived = matches!(
        code,
        Code::Timeout | Code::ConnectionFailed | Code::MalformedResponse
    );
    if changes_state && may_have_arrived {
        "; the request may have reached the server, so check whether the change was applied before repeating it"
    } else {
        ""
    }
}

/// Maps a ureq error to a status with a code, a category and the error's text.
fn transport_status(context: &StatusContext, error: &ureq::Error) -> Status {
    let code = match error {
        ureq::Error::Timeout(_) => Code::Timeout,
        ureq::Error::Rustls(rustls_error) => tls_code(rustls_error),
        ureq::Error::Tls(_) | ureq::Error::Pem(_) => Code::TlsFailed,
        // ureq reports handshake failures as I/O errors that wrap the rustls error.
        ureq::Error::Io(io) if rustls_error(io).is_some() => {
            rustls_error(io).map_or(Code::TlsFailed, tls_code)
        }
        ureq::Error::Io(_)
        | ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::Protocol(_)
        | ureq::Error::BodyStalled => Code::ConnectionFailed,
        ureq::Error::BodyExceedsLimit(_)
        | ureq::Error::LargeResponseHeader(..)
        | ureq::Error::Decompress(..) => Code::MalformedResponse,
        _ => Code::ConnectionFailed,
    };
    let tls_hint = match error {
        ureq::Error::Protocol(_) if !context.tls => "; if the origin serves HTTPS, set tls",
        _ => "",
    };
    let message = format!(
        "{} ({}): {error}{tls_hint}{}",
        code.message(),
        context.origin,
        outcome_hint(context, code)
    );
    context.status(code, 0, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ureq::unversioned::transport::time::Duration as NextDuration;

    fn resolve(url: &str) -> Vec<SocketAddr> {
        let config = Agent::config_builder().build();
        let timeout = NextTimeout {
            after: NextDuration::from(std::time::Duration::from_secs(1)),
            reason: ureq::Timeout::Resolve,
            ..NextTimeout::default()
        };
        let uri: Uri = url.parse().unwrap();
        OriginResolver::default()
            .resolve(&uri, &config, timeout)
            .unwrap()
            .iter()
            .copied()
            .collect()
    }

    #[test]
    fn resolver_returns_ip_literals_directly() {
        assert_eq!(
            resolve("http://127.0.0.1:8090/time/0"),
            vec!["127.0.0.1:8090".parse().unwrap()]
        );
        assert_eq!(
            resolve("https://[::1]/time/0"),
            vec!["[::1]:443".parse().unwrap()]
        );
        assert_eq!(
            resolve("http://10.1.2.3/time/0"),
            vec!["10.1.2.3:80".parse().unwrap()]
        );
    }

    #[test]
    fn resolver_looks_up_host_names() {
        let addresses = resolve("http://localhost:8090/time/0");
        assert!(!addresses.is_empty());
        assert!(
            addresses
                .iter()
                .all(|address| address.ip().is_loopback() && address.port() == 8090),
            "{addresses:?}"
        );
    }
}
