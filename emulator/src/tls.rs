//! HTTPS: a self-signed certificate generated when the emulator starts, the
//! rustls acceptor that presents it, and the PEM file clients trust.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// Common name in the certificate's subject and issuer.
const COMMON_NAME: &str = "pubnub-emulator";

/// A generated certificate with the acceptor that serves it.
pub struct Identity {
    /// The certificate in PEM, which a client adds to its trusted roots.
    pub certificate_pem: String,
    pub acceptor: TlsAcceptor,
}

/// Names the certificate is valid for: `127.0.0.1`, `::1`, `localhost`, and
/// `host` when it is another specific address.
fn subject_alt_names(host: IpAddr) -> Vec<String> {
    let mut names = vec![
        IpAddr::V4(Ipv4Addr::LOCALHOST).to_string(),
        IpAddr::V6(Ipv6Addr::LOCALHOST).to_string(),
        "localhost".to_owned(),
    ];
    if !host.is_unspecified() && !host.is_loopback() {
        names.push(host.to_string());
    }
    names
}

/// Generates a new key pair and a self-signed certificate for the loopback
/// names and `host`, and builds a TLS 1.2/1.3 acceptor that offers HTTP/1.1.
pub fn generate(host: IpAddr) -> io::Result<Identity> {
    let generation_failed = |error: rcgen::Error| {
        io::Error::other(format!("generating the TLS certificate failed: {error}"))
    };

    let key_pair = KeyPair::generate().map_err(generation_failed)?;
    let mut params = CertificateParams::new(subject_alt_names(host)).map_err(generation_failed)?;
    let mut subject = DistinguishedName::new();
    subject.push(DnType::CommonName, COMMON_NAME);
    params.distinguished_name = subject;
    let certificate = params.self_signed(&key_pair).map_err(generation_failed)?;

    let private_key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_pair.serialize_der()));
    let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .and_then(|builder| {
            builder
                .with_no_client_auth()
                .with_single_cert(vec![certificate.der().clone()], private_key)
        })
        .map_err(|error| io::Error::other(format!("configuring TLS failed: {error}")))?;
    // The server speaks HTTP/1.1 only, so ALPN offers only "http/1.1" and
    // clients that prefer HTTP/2 fall back to it.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];

    Ok(Identity {
        certificate_pem: certificate.pem(),
        acceptor: TlsAcceptor::from(Arc::new(config)),
    })
}

/// Returns the certificate path used when the configuration names none: a
/// file in the system's temporary directory, unique per process and port.
pub fn temporary_certificate_path(port: u16) -> PathBuf {
    std::env::temp_dir().join(format!(
        "pubnub-emulator-{}-{port}.cert.pem",
        std::process::id()
    ))
}

/// Writes `pem` to `path` through a temporary file and a rename, so a client
/// never reads a half-written certificate.
pub fn write_certificate(path: &Path, pem: &str) -> io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, pem)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|error| {
            io::Error::new(
                error.kind(),
                format!(
                    "writing the TLS certificate to {} failed: {error}",
                    path.display()
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cover_loopback_and_host() {
        let loopback = subject_alt_names(IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(loopback, ["127.0.0.1", "::1", "localhost"]);

        let unspecified = subject_alt_names(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        assert_eq!(unspecified, ["127.0.0.1", "::1", "localhost"]);

        let other = subject_alt_names("192.0.2.7".parse().unwrap());
        assert_eq!(other, ["127.0.0.1", "::1", "localhost", "192.0.2.7"]);
    }

    #[test]
    fn certificate_is_pem() {
        let identity = generate(IpAddr::V4(Ipv4Addr::LOCALHOST)).unwrap();
        assert!(
            identity
                .certificate_pem
                .starts_with("-----BEGIN CERTIFICATE-----\n")
        );
        assert!(
            identity
                .certificate_pem
                .trim_end()
                .ends_with("-----END CERTIFICATE-----")
        );
    }
}
