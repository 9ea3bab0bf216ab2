//! The `pubnub-emulator` binary as a child process, for tests of flags and logs.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStderr, ChildStdout, Command, ExitStatus, Stdio};

pub const BINARY: &str = env!("CARGO_BIN_EXE_pubnub-emulator");

/// A running binary, killed on drop if a test fails before stopping it.
pub struct Running {
    child: Child,
    stdout: BufReader<ChildStdout>,
    stderr: BufReader<ChildStderr>,
}

impl Running {
    pub fn start(arguments: &[&str]) -> Running {
        let mut child = Command::new(BINARY)
            .args(arguments)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary starts");
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let stderr = BufReader::new(child.stderr.take().unwrap());
        Running {
            child,
            stdout,
            stderr,
        }
    }

    /// Reads the listening line and returns the URL it names, such as
    /// `http://127.0.0.1:PORT`.
    pub fn listening_url(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        line.strip_prefix("pubnub-emulator listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .strip_suffix('\n')
            .expect("line ends with a newline")
            .to_owned()
    }

    /// Reads the listening line of a plain HTTP emulator and returns the
    /// `host:port` it names.
    pub fn listening_origin(&mut self) -> String {
        let url = self.listening_url();
        url.strip_prefix("http://")
            .unwrap_or_else(|| panic!("not a plain HTTP URL: {url:?}"))
            .to_owned()
    }

    /// Reads one line of standard error, without its newline.
    pub fn stderr_line(&mut self) -> String {
        let mut line = String::new();
        self.stderr.read_line(&mut line).unwrap();
        line.strip_suffix('\n')
            .unwrap_or_else(|| panic!("standard error ended: {line:?}"))
            .to_owned()
    }

    /// Reads one line of standard error like [`Running::stderr_line`], but
    /// kills the binary when none arrives within `timeout`, so that a missing
    /// line fails the test instead of hanging it.
    pub fn stderr_line_within(&mut self, timeout: std::time::Duration) -> String {
        let pid = self.child.id().to_string();
        let (done, finished) = std::sync::mpsc::channel::<()>();
        let watchdog = std::thread::spawn(move || {
            if finished.recv_timeout(timeout).is_err() {
                let _ = Command::new("kill").args(["-KILL", &pid]).status();
            }
        });
        let line = self.stderr_line();
        let _ = done.send(());
        let _ = watchdog.join();
        line
    }

    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the exit and returns the status and the rest of standard
    /// output and standard error.
    pub fn wait(&mut self) -> (ExitStatus, String, String) {
        let status = self.child.wait().unwrap();
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).unwrap();
        let mut stderr = String::new();
        self.stderr.read_to_string(&mut stderr).unwrap();
        (status, rest, stderr)
    }

    /// Sends SIGTERM, checks the clean exit and returns standard error's rest.
    pub fn stop(&mut self) -> String {
        self.signal("TERM");
        let (status, _, stderr) = self.wait();
        assert_eq!(status.code(), Some(0), "stderr: {stderr}");
        stderr
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
