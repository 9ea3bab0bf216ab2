//! Command-line entry point: starts one emulator and serves until SIGINT or SIGTERM.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use log::LevelFilter;
use pubnub_emulator::{AccessRules, Config, Emulator, Fault};

/// Local PubNub-compatible server for Message Actions, publish, history,
/// subscribe and time.
///
/// Once listening it prints one line, `pubnub-emulator listening on
/// http://HOST:PORT` (https with --tls), to standard output, then logs one
/// line per request to standard error. SIGINT or SIGTERM stops it with exit
/// status 0.
#[derive(Parser)]
#[command(name = "pubnub-emulator", version)]
struct Arguments {
    /// IP address to listen on.
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    host: IpAddr,

    /// TCP port to listen on; 0 picks a free port.
    #[arg(long, value_name = "PORT", default_value_t = 0)]
    port: u16,

    /// File to write `HOST:PORT` and a newline to once listening (replaced atomically).
    #[arg(long, value_name = "PATH")]
    port_file: Option<PathBuf>,

    /// Accept only this subscribe key; repeat for several. Without it, any key is accepted.
    #[arg(long = "subscribe-key", value_name = "KEY")]
    subscribe_keys: Vec<String>,

    /// Accept only this publish key; repeat for several. Without it, any key is accepted.
    #[arg(long = "publish-key", value_name = "KEY")]
    publish_keys: Vec<String>,

    /// Require every request except /time/0 to carry a `timestamp` (Unix
    /// seconds, within 60 s of this machine's clock) and a v2 `signature` made
    /// with this secret key. Needs --publish-key.
    #[arg(long, value_name = "KEY")]
    secret_key: Option<String>,

    /// Turn access checks on with the rules in this JSON file:
    /// {"AUTH_KEY": {"CHANNEL": {"read": true, "write": false}}}, where CHANNEL
    /// "*" means every channel.
    #[arg(long, value_name = "PATH")]
    access_file: Option<PathBuf>,

    /// Turn access checks on and grant AUTH_KEY read (r), write (w) or both (rw)
    /// on CHANNEL ("*" for every channel); repeat for several.
    #[arg(long = "grant", value_name = "AUTH_KEY:CHANNEL:PERMISSIONS")]
    grants: Vec<String>,

    /// Seconds a subscribe long-poll with nothing to deliver waits before it
    /// returns an empty reply; decimals allowed.
    #[arg(long, value_name = "SECONDS", default_value = "280", value_parser = parse_seconds)]
    subscribe_hold_seconds: Duration,

    /// Serve HTTPS with a self-signed certificate generated at start for
    /// 127.0.0.1, ::1 and localhost. Clients trust it through the PEM file
    /// named by --tls-cert-out.
    #[arg(long)]
    tls: bool,

    /// File that receives the TLS certificate in PEM, written before the port
    /// file and the listening line [default: the port file's path with
    /// ".cert.pem" appended, or without --port-file a temporary file, removed
    /// at exit]. Its path is printed to standard error. Needs --tls.
    #[arg(long, value_name = "PATH", requires = "tls")]
    tls_cert_out: Option<PathBuf>,

    /// Make the next matching requests fail: one fault as a JSON object, in
    /// the shape POST /__emulator/faults accepts, such as
    /// '{"kind":"reply","status":503,"method":"GET","path_prefix":"/v1/","count":2}'.
    /// Kinds: reply (status, body, headers), event_not_published (207 for
    /// add and remove), delay (delay_ms, in milliseconds), close, truncate
    /// and malformed_json. count is a number of requests, default 1. Repeat
    /// for several; the first pending match applies.
    #[arg(long = "fault", value_name = "JSON", value_parser = parse_fault)]
    faults: Vec<Fault>,

    /// Number of worker threads serving requests [default: number of CPUs].
    #[arg(long, value_name = "COUNT", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,

    /// Most verbose log level written to standard error: off, error, warn, info, debug or trace.
    #[arg(long, value_name = "LEVEL", default_value = "info")]
    log_level: LevelFilter,
}

fn main() -> ExitCode {
    let arguments = Arguments::parse();
    env_logger::Builder::new()
        .filter_level(arguments.log_level)
        .format_target(false)
        .init();

    match run(arguments) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // Printed directly, so the error shows even with --log-level off.
            eprintln!("pubnub-emulator: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(arguments: Arguments) -> Result<(), String> {
    // Signal handlers are installed before the address is printed, so a
    // SIGTERM sent right after reading that line already stops cleanly.
    let signals = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("creating the signal runtime failed: {error}"))?;
    let (mut interrupt, mut terminate) = {
        let _context = signals.enter();
        let interrupt = signal(tokio::signal::unix::SignalKind::interrupt())?;
        let terminate = signal(tokio::signal::unix::SignalKind::terminate())?;
        (interrupt, terminate)
    };

    let mut config = Config::default().host(arguments.host).port(arguments.port);
    config.subscribe_keys = arguments.subscribe_keys;
    config.publish_keys = arguments.publish_keys;
    config.secret_key = arguments.secret_key;
    config.subscribe_hold = arguments.subscribe_hold_seconds;
    config.access_rules = access_rules(arguments.access_file.as_deref(), &arguments.grants)?;
    if let Some(threads) = arguments.threads {
        config.worker_threads = usize::from(threads);
    }
    config.faults = arguments.faults;
    config.tls = arguments.tls;
    config.tls_certificate_path = match (&arguments.tls_cert_out, &arguments.port_file) {
        (Some(path), _) => Some(path.clone()),
        (None, Some(port_file)) if arguments.tls => Some(certificate_path_beside(port_file)),
        (None, _) => None,
    };
    let emulator = Emulator::start(config).map_err(|error| {
        if error.kind() == std::io::ErrorKind::InvalidInput {
            format!("invalid settings: {error}")
        } else {
            error.to_string()
        }
    })?;
    if let Some(path) = emulator.certificate_path() {
        // Printed directly, so the path shows even with --log-level off.
        eprintln!(
            "pubnub-emulator: TLS certificate (PEM) written to {}",
            path.display()
        );
    }

    if let Some(path) = &arguments.port_file {
        write_port_file(path, emulator.addr())?;
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "pubnub-emulator listening on {}",
        emulator.base_url()
    )
    .and_then(|()| stdout.flush())
    .map_err(|error| format!("writing to standard output failed: {error}"))?;
    drop(stdout);

    let received = signals.block_on(async {
        tokio::select! {
            _ = interrupt.recv() => "SIGINT",
            _ = terminate.recv() => "SIGTERM",
        }
    });
    log::info!("received {received}, stopping");
    drop(emulator);
    Ok(())
}

/// Builds the access rules from the file and the `--grant` values; `None`
/// when neither is given.
fn access_rules(file: Option<&Path>, grants: &[String]) -> Result<Option<AccessRules>, String> {
    if file.is_none() && grants.is_empty() {
        return Ok(None);
    }
    let mut rules = match file {
        Some(path) => AccessRules::from_file(path)?,
        None => AccessRules::new(),
    };
    for grant in grants {
        rules.add_grant_text(grant)?;
    }
    Ok(Some(rules))
}

/// Returns the default certificate path with a port file: the port file's
/// path with `.cert.pem` appended.
fn certificate_path_beside(port_file: &Path) -> PathBuf {
    let mut path = port_file.as_os_str().to_owned();
    path.push(".cert.pem");
    PathBuf::from(path)
}

fn parse_fault(text: &str) -> Result<Fault, String> {
    Fault::from_json(text).map_err(|error| error.to_string())
}

/// Parses a non-negative number of seconds, decimals allowed.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| "expected a number of seconds, such as 280 or 0.5".to_owned())?;
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| "expected a non-negative number of seconds, such as 280 or 0.5".to_owned())
}

fn signal(kind: tokio::signal::unix::SignalKind) -> Result<tokio::signal::unix::Signal, String> {
    tokio::signal::unix::signal(kind)
        .map_err(|error| format!("installing a signal handler failed: {error}"))
}

/// Writes `addr` and a newline to `path` through a temporary file and a rename,
/// so a reader polling for the file never reads it half written.
fn write_port_file(path: &Path, addr: SocketAddr) -> Result<(), String> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, format!("{addr}\n"))
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|error| format!("writing the port file {} failed: {error}", path.display()))
}
