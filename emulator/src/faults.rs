//! Fault injection: rules that make the next matching requests fail in a
//! chosen way, so clients can be tested against errors the real service
//! returns only rarely.
//!
//! A [`Fault`] names a kind, the requests it matches (a method and a raw path
//! prefix, both optional) and how many of them it affects. Faults are added at
//! start ([`crate::Config::faults`], `--fault`), from Rust
//! ([`crate::Emulator::add_fault`]) or through the control endpoint
//! `/__emulator/faults`. The first pending fault that matches a request
//! applies to it and uses up one of its count.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::reply::{self, Reply};

/// Kind of a fault: the failure it causes on the requests it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Reply with `status`, `body` and `headers` without handling the request.
    Reply,
    /// Handle an add or remove of a message action but publish no subscribe
    /// event, and reply 207 as the service does when storing succeeded and
    /// publishing the event failed. Matches only add and remove requests.
    EventNotPublished,
    /// Handle the request, then wait `delay_ms` milliseconds before replying.
    Delay,
    /// Close the connection without handling the request or replying.
    Close,
    /// Handle the request, then send the status, the headers with the full
    /// `Content-Length` and only the first half of the body, and close.
    Truncate,
    /// Reply 200 with a body that is not valid JSON, without handling the request.
    MalformedJson,
}

impl FaultKind {
    /// Name of the kind in JSON and in log lines.
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Reply => "reply",
            FaultKind::EventNotPublished => "event_not_published",
            FaultKind::Delay => "delay",
            FaultKind::Close => "close",
            FaultKind::Truncate => "truncate",
            FaultKind::MalformedJson => "malformed_json",
        }
    }
}

/// One fault as given by a user, in the JSON shape of the control endpoint:
///
/// ```json
/// {"kind": "reply", "method": "POST", "path_prefix": "/v1/message-actions/",
///  "count": 2, "status": 429, "headers": {"Retry-After": "3"}}
/// ```
///
/// Fields other than `kind` are optional. `status`, `body` and `headers` apply
/// only to `reply`, and `delay_ms` only to `delay`, where it is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    pub kind: FaultKind,
    /// HTTP method the request must have; `None` matches any method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Prefix of the raw (still percent-encoded) request path, starting with
    /// `/`; `None` matches any path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_prefix: Option<String>,
    /// Number of matching requests the fault applies to, at least 1. Default 1.
    #[serde(default = "one")]
    pub count: u32,
    /// Status of a `reply` fault, 200 to 599.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Body of a `reply` fault. `None` uses the default body for the status
    /// (see [`default_reply`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Extra headers of a `reply` fault; they replace headers of the same name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Wait of a `delay` fault, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
}

fn one() -> u32 {
    1
}

impl Fault {
    /// Creates a fault of `kind` for the next request, whatever its method and path.
    pub fn new(kind: FaultKind) -> Fault {
        Fault {
            kind,
            method: None,
            path_prefix: None,
            count: 1,
            status: None,
            body: None,
            headers: BTreeMap::new(),
            delay_ms: None,
        }
    }

    /// Creates a `reply` fault with `status` and the default body for it.
    pub fn reply(status: u16) -> Fault {
        Fault {
            status: Some(status),
            ..Fault::new(FaultKind::Reply)
        }
    }

    /// Creates a `delay` fault that postpones the reply by `delay` (millisecond precision).
    pub fn delay(delay: Duration) -> Fault {
        let millis = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        Fault {
            delay_ms: Some(millis),
            ..Fault::new(FaultKind::Delay)
        }
    }

    /// Restricts the fault to requests with `method`.
    pub fn method(mut self, method: impl Into<String>) -> Fault {
        self.method = Some(method.into());
        self
    }

    /// Restricts the fault to requests whose raw path starts with `prefix`.
    pub fn path_prefix(mut self, prefix: impl Into<String>) -> Fault {
        self.path_prefix = Some(prefix.into());
        self
    }

    /// Sets how many matching requests the fault applies to.
    pub fn count(mut self, count: u32) -> Fault {
        self.count = count;
        self
    }

    /// Sets the body of a `reply` fault.
    pub fn body(mut self, body: impl Into<String>) -> Fault {
        self.body = Some(body.into());
        self
    }

    /// Adds a header to a `reply` fault.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Fault {
        self.headers.insert(name.into(), value.into());
        self
    }

    /// Checks the fault and converts it into the form the server applies.
    fn compile(&self) -> Result<Rule, FaultError> {
        let method = match &self.method {
            None => None,
            Some(text) => Some(
                Method::from_str(&text.to_ascii_uppercase())
                    .map_err(|_| FaultError::new(format!("invalid method {text:?}")))?,
            ),
        };
        let path_prefix = self.path_prefix.clone().unwrap_or_else(|| "/".to_owned());
        if !path_prefix.starts_with('/') {
            return Err(FaultError::new(format!(
                "path_prefix {path_prefix:?} must start with \"/\""
            )));
        }
        if self.count == 0 {
            return Err(FaultError::new("count must be at least 1"));
        }

        let is_reply = self.kind == FaultKind::Reply;
        for (field, present) in [
            ("status", self.status.is_some()),
            ("body", self.body.is_some()),
            ("headers", !self.headers.is_empty()),
        ] {
            if present && !is_reply {
                return Err(FaultError::new(format!(
                    "{field} applies only to kind \"reply\", not \"{}\"",
                    self.kind.name()
                )));
            }
        }
        if self.delay_ms.is_some() && self.kind != FaultKind::Delay {
            return Err(FaultError::new(format!(
                "delay_ms applies only to kind \"delay\", not \"{}\"",
                self.kind.name()
            )));
        }

        let action = match self.kind {
            FaultKind::Reply => Action::Reply(self.compile_reply()?),
            FaultKind::EventNotPublished => Action::EventNotPublished,
            FaultKind::Delay => match self.delay_ms {
                Some(millis) => Action::Delay(Duration::from_millis(millis)),
                None => return Err(FaultError::new("kind \"delay\" needs delay_ms")),
            },
            FaultKind::Close => Action::Close,
            FaultKind::Truncate => Action::Truncate,
            FaultKind::MalformedJson => Action::Reply(malformed_json_reply()),
        };
        Ok(Rule {
            id: 0,
            method,
            path_prefix,
            remaining: self.count,
            action,
            fault: self.clone(),
        })
    }

    fn compile_reply(&self) -> Result<Reply, FaultError> {
        let Some(status) = self.status else {
            return Err(FaultError::new("kind \"reply\" needs status"));
        };
        let status = StatusCode::from_u16(status)
            .ok()
            .filter(|status| (200..=599).contains(&status.as_u16()))
            .ok_or_else(|| {
                FaultError::new(format!("status {status} is not between 200 and 599"))
            })?;

        let mut reply = match &self.body {
            Some(body) => Reply::text(status, body.clone()),
            None => default_reply(status),
        };
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| FaultError::new(format!("invalid header name {name:?}")))?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                FaultError::new(format!("invalid value {value:?} for header {name}"))
            })?;
            reply.headers.retain(|(existing, _)| *existing != name);
            reply.headers.push((name, value));
        }
        Ok(reply)
    }

    /// Checks that the fault can be applied.
    ///
    /// # Errors
    ///
    /// Returns what is wrong, such as a missing `status` for a `reply` fault.
    pub fn check(&self) -> Result<(), FaultError> {
        self.compile().map(|_| ())
    }

    /// Parses and checks a fault written in JSON.
    ///
    /// # Errors
    ///
    /// Returns what is wrong: invalid JSON, an unknown field or kind, a field
    /// that does not apply to the kind, or an invalid value.
    pub fn from_json(text: &str) -> Result<Fault, FaultError> {
        let fault: Fault = serde_json::from_str(text)
            .map_err(|error| FaultError::new(format!("invalid fault JSON: {error}")))?;
        fault.check()?;
        Ok(fault)
    }
}

/// Error for a fault that cannot be applied, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultError {
    message: String,
}

impl FaultError {
    fn new(message: impl Into<String>) -> FaultError {
        FaultError {
            message: message.into(),
        }
    }
}

impl From<String> for FaultError {
    fn from(message: String) -> FaultError {
        FaultError { message }
    }
}

impl fmt::Display for FaultError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for FaultError {}

/// A pending fault with its id and the number of requests it still applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingFault {
    /// Number assigned when the fault was added, unique per emulator.
    pub id: u64,
    /// The fault as added, with `count` lowered to the remaining count.
    #[serde(flatten)]
    pub fault: Fault,
}

/// Body of a `reply` fault whose `body` is not set.
///
/// - 403: the actions service's access denial (recorded in Swift SDK fixtures),
/// - 413 and 414: the balancer bodies of the service,
/// - 429: `{"status": 429, "error": true, "message": "Too many requests."}`
///   (the body in the PubNub Rust SDK's documentation) with `Retry-After: 1`,
/// - 500: a small HTML page with `Content-Type: text/html`, as a proxy in
///   front of the service would send,
/// - 502, 503 and 504: `{"message":"...","error":true,"service":"Balancer","status":N}`,
/// - any other status: `{"status": N, "error": true, "message": "<reason phrase>"}`.
///
/// NOTE: the service's bodies for 500 to 504 are not recorded. These are the
/// emulator's choice, in shapes that PubNub SDKs parse.
pub fn default_reply(status: StatusCode) -> Reply {
    let reason = status.canonical_reason().unwrap_or("Error");
    match status.as_u16() {
        403 => reply::actions_error(status, crate::routes::guard::ACTIONS_FORBIDDEN),
        413 => reply::body_too_large(),
        414 => reply::service_error(status, "Balancer", "Request URI Too Long"),
        429 => {
            let mut reply = reply::routing_error(status, "Too many requests.");
            reply
                .headers
                .push((header::RETRY_AFTER, HeaderValue::from_static("1")));
            reply
        }
        500 => {
            let page = "<html><head><title>500 Internal Server Error</title></head>\
                        <body><h1>500 Internal Server Error</h1></body></html>\n";
            let mut reply = Reply::text(status, page.to_owned());
            reply
                .headers
                .push((header::CONTENT_TYPE, HeaderValue::from_static("text/html")));
            reply
        }
        502..=504 => reply::service_error(status, "Balancer", reason),
        _ => reply::routing_error(status, reason),
    }
}

/// Body of a `malformed_json` fault: an object cut off inside a string.
pub const MALFORMED_JSON_BODY: &str = r#"{"status": 200, "data": [{"type": "reaction", "val"#;

fn malformed_json_reply() -> Reply {
    Reply {
        status: StatusCode::OK,
        body: Bytes::from_static(MALFORMED_JSON_BODY.as_bytes()),
        headers: Vec::new(),
    }
}

/// Server behaviour for a request a fault applies to.
#[derive(Debug, Clone)]
pub enum Action {
    /// Send this reply instead of handling the request.
    Reply(Reply),
    /// Handle an add or remove without its subscribe event and reply 207.
    EventNotPublished,
    /// Handle the request and wait this long before replying.
    Delay(Duration),
    /// Close the connection without a reply.
    Close,
    /// Handle the request and send half of the reply body.
    Truncate,
}

/// A fault applied to one request.
#[derive(Debug, Clone)]
pub struct Applied {
    pub id: u64,
    pub kind: FaultKind,
    pub action: Action,
}

#[derive(Debug)]
struct Rule {
    id: u64,
    method: Option<Method>,
    path_prefix: String,
    remaining: u32,
    action: Action,
    /// The fault as added, for listing.
    fault: Fault,
}

impl Rule {
    fn matches(&self, method: &Method, raw_path: &str, changes_action: bool) -> bool {
        let method_matches = self
            .method
            .as_ref()
            .is_none_or(|expected| expected == method);
        let endpoint_matches = !matches!(self.action, Action::EventNotPublished) || changes_action;
        method_matches && endpoint_matches && raw_path.starts_with(&self.path_prefix)
    }
}

#[derive(Debug, Default)]
struct Table {
    rules: Vec<Rule>,
    next_id: u64,
}

/// The pending faults of one emulator.
#[derive(Debug, Default)]
pub struct Faults {
    table: Mutex<Table>,
    /// Number of pending rules, read without the lock so requests skip it
    /// while no fault is pending.
    pending: AtomicUsize,
}

impl Faults {
    fn lock(&self) -> MutexGuard<'_, Table> {
        // Each change to the table is one push, decrement or removal, so a
        // panic while holding the lock leaves it consistent.
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Checks `fault` and adds it after the pending ones; returns its id.
    pub fn add(&self, fault: &Fault) -> Result<PendingFault, FaultError> {
        let mut rule = fault.compile()?;
        let mut table = self.lock();
        table.next_id += 1;
        rule.id = table.next_id;
        let pending = PendingFault {
            id: rule.id,
            fault: rule.fault.clone(),
        };
        table.rules.push(rule);
        self.pending.store(table.rules.len(), Ordering::Release);
        Ok(pending)
    }

    /// Returns the pending faults in the order they apply.
    pub fn list(&self) -> Vec<PendingFault> {
        self.lock()
            .rules
            .iter()
            .map(|rule| PendingFault {
                id: rule.id,
                fault: Fault {
                    count: rule.remaining,
                    ..rule.fault.clone()
                },
            })
            .collect()
    }

    /// Removes every pending fault and returns how many there were.
    pub fn clear(&self) -> usize {
        let mut table = self.lock();
        let cleared = table.rules.len();
        table.rules.clear();
        self.pending.store(0, Ordering::Release);
        cleared
    }

    /// Finds the first pending fault matching the request, uses up one of its
    /// count and returns its action. `changes_action` returns true for an add
    /// or remove of a message action; it runs only while faults are pending.
    pub fn take(
        &self,
        method: &Method,
        raw_path: &str,
        changes_action: impl FnOnce() -> bool,
    ) -> Option<Applied> {
        if self.pending.load(Ordering::Acquire) == 0 {
            return None;
        }
        let changes_action = changes_action();
        let mut table = self.lock();
        let index = table
            .rules
            .iter()
            .position(|rule| rule.matches(method, raw_path, changes_action))?;
        let rule = &mut table.rules[index];
        rule.remaining -= 1;
        let applied = Applied {
            id: rule.id,
            kind: rule.fault.kind,
            action: rule.action.clone(),
        };
        if rule.remaining == 0 {
            table.rules.remove(index);
            self.pending.store(table.rules.len(), Ordering::Release);
        }
        Some(applied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_matching_fault_applies() {
        let faults = Faults::default();
        faults
            .add(&Fault::new(FaultKind::Close).method("DELETE"))
            .unwrap();
        faults
            .add(&Fault::reply(503).path_prefix("/v1/").count(2))
            .unwrap();

        let get = faults.take(&Method::GET, "/v1/message-actions/s/channel/c", || false);
        assert_eq!(get.unwrap().kind, FaultKind::Reply);
        let time = faults.take(&Method::GET, "/time/0", || false);
        assert!(time.is_none());
        let delete = faults.take(&Method::DELETE, "/v1/x", || true);
        assert_eq!(delete.unwrap().kind, FaultKind::Close);
        let last = faults.take(&Method::GET, "/v1/x", || false);
        assert_eq!(last.unwrap().id, 2);
        assert!(faults.take(&Method::GET, "/v1/x", || false).is_none());
        assert!(faults.list().is_empty());
    }

    #[test]
    fn event_fault_waits_for_action_change() {
        let faults = Faults::default();
        faults
            .add(&Fault::new(FaultKind::EventNotPublished))
            .unwrap();

        assert!(faults.take(&Method::GET, "/v1/x", || false).is_none());
        assert!(faults.take(&Method::POST, "/v1/x", || true).is_some());
    }

    #[test]
    fn list_shows_remaining_count() {
        let faults = Faults::default();
        faults.add(&Fault::reply(500).count(3)).unwrap();
        faults.take(&Method::GET, "/", || false);

        let listed = faults.list();

        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].id, 1);
        assert_eq!(listed[0].fault.count, 2);
    }
}
