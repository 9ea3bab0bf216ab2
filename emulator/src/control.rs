//! The control endpoint under the reserved path `/__emulator/`, which no
//! PubNub route uses. It manages faults:
//!
//! - `POST /__emulator/faults` with one fault object or an array of them
//!   adds them after the pending ones and returns 200
//!   `{"faults":[{"id":1,"kind":"reply",...}]}` with the added faults,
//! - `GET /__emulator/faults` returns the pending faults in the same shape,
//!   with `count` lowered to the requests each still applies to,
//! - `DELETE /__emulator/faults` removes them all and returns `{"cleared":N}`.
//!
//! A body that is not a valid fault gets 400 `{"status": 400, "error": true,
//! "message": "..."}` and adds nothing. Faults, signatures and access rules
//! never apply to control requests.

use hyper::{Method, StatusCode};
use serde::Serialize;
use serde_json::Value;

use crate::faults::{Fault, FaultError, PendingFault};
use crate::json::Layout;
use crate::reply::{Reply, routing_error};
use crate::request::Request;
use crate::server::ServerState;

/// Path prefix reserved for the control endpoint.
pub const CONTROL_PREFIX: &str = "/__emulator/";

/// Path of the fault list.
pub const FAULTS_PATH: &str = "/__emulator/faults";

/// Tells whether `raw_path` belongs to the control endpoint.
pub fn is_control_path(raw_path: &str) -> bool {
    raw_path.starts_with(CONTROL_PREFIX) || raw_path == "/__emulator"
}

#[derive(Serialize)]
struct FaultList {
    faults: Vec<PendingFault>,
}

#[derive(Serialize)]
struct Cleared {
    cleared: usize,
}

/// Returns the reply to a request on the control endpoint.
pub fn handle(state: &ServerState, request: &Request) -> Reply {
    if request.raw_path != FAULTS_PATH {
        let message = format!(
            "No endpoint at {} {}; the control endpoint is {FAULTS_PATH}",
            request.method, request.raw_path
        );
        return routing_error(StatusCode::NOT_FOUND, &message);
    }

    match request.method {
        Method::GET => {
            let faults = state.faults.list();
            Reply::json(StatusCode::OK, &FaultList { faults }, Layout::Compact)
        }
        Method::POST => add_faults(state, &request.body),
        Method::DELETE => {
            let cleared = state.faults.clear();
            log::info!("cleared {cleared} pending faults");
            Reply::json(StatusCode::OK, &Cleared { cleared }, Layout::Compact)
        }
        _ => {
            let message = format!(
                "Method {} is not allowed on {FAULTS_PATH}; use GET, POST or DELETE",
                request.method
            );
            routing_error(StatusCode::METHOD_NOT_ALLOWED, &message)
        }
    }
}

/// Parses the body of `POST /__emulator/faults`: one fault object or an array
/// of them. Nothing is added unless every fault is valid.
fn parse_faults(body: &[u8]) -> Result<Vec<Fault>, FaultError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|error| FaultError::from(format!("invalid fault JSON: {error}")))?;
    let items = match value {
        Value::Array(items) => items,
        Value::Object(_) => vec![value],
        _ => {
            return Err(FaultError::from(
                "expected a fault object or an array of fault objects".to_owned(),
            ));
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let fault: Fault = serde_json::from_value(item).map_err(|error| {
                FaultError::from(format!("invalid fault at index {index}: {error}"))
            })?;
            fault.check().map_err(|error| {
                FaultError::from(format!("invalid fault at index {index}: {error}"))
            })?;
            Ok(fault)
        })
        .collect()
}

fn add_faults(state: &ServerState, body: &[u8]) -> Reply {
    let faults = match parse_faults(body) {
        Ok(faults) => faults,
        Err(error) => {
            log::warn!("rejected faults from the control endpoint: {error}");
            return routing_error(StatusCode::BAD_REQUEST, &error.to_string());
        }
    };

    let mut added = Vec::with_capacity(faults.len());
    for fault in &faults {
        match state.faults.add(fault) {
            Ok(pending) => added.push(pending),
            // Unreachable after the check above, which runs the same validation.
            Err(error) => return routing_error(StatusCode::BAD_REQUEST, &error.to_string()),
        }
    }
    for pending in &added {
        log::info!(
            "added fault {} ({}) for {} requests",
            pending.id,
            pending.fault.kind.name(),
            pending.fault.count
        );
    }
    Reply::json(
        StatusCode::OK,
        &FaultList { faults: added },
        Layout::Compact,
    )
}
