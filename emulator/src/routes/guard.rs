//! Checks that run before every endpoint except `/time/0`: the subscribe and
//! publish keys, then the signature when a secret key is configured, then the
//! access rules when they are configured. A request with a valid signature
//! skips the access rules, because the secret key grants full access in
//! PubNub Access Manager.
//!
//! Signature failures get 403 with the Access Manager body that PubNub's Rust
//! SDK documents for a bad grant signature:
//! `{"error": {"message": "Invalid signature", "source": "grant", "details": [...]}, "service": "Access Manager", "status": 403}`.
//!
//! NOTE: PubNub documents no signature-failure body for the actions, publish,
//! history or subscribe services. The emulator uses this one for all of them,
//! with `"Invalid timestamp"` as the message when the timestamp is the problem.

use hyper::StatusCode;
use serde::Serialize;

use super::{Endpoint, Service};
use crate::access::AccessRules;
use crate::clock;
use crate::json::Layout;
use crate::reply::{
    ErrorDetail, Reply, actions_error, history_error, publish_error, service_error,
};
use crate::request::Request;
use crate::server::ServerState;
use crate::signature;

/// Largest accepted difference between a request's `timestamp` and the
/// emulator's clock, in seconds, as the PubNub service allows.
pub const TIMESTAMP_TOLERANCE_SECONDS: i64 = 60;

/// Message of the 400 reply of history and subscribe for a subscribe key that
/// is not configured.
///
/// NOTE: the PubNub service's text for this case is not in the references the
/// emulator was built from, so this wording is the emulator's choice.
pub const INVALID_SUBSCRIBE_KEY: &str = "Invalid Subscribe Key";

/// Runs the shared checks for `endpoint` and returns the error reply of the
/// first one that fails.
pub fn check(state: &ServerState, request: &Request, endpoint: &Endpoint<'_>) -> Result<(), Reply> {
    let Some(subscribe_key) = endpoint.subscribe_key() else {
        return Ok(());
    };
    check_keys(state, endpoint, subscribe_key)?;
    if let Some(secret_key) = &state.config.secret_key {
        return check_signature(state, request, endpoint, secret_key, subscribe_key);
    }
    if let Some(rules) = &state.config.access_rules {
        check_access(rules, request, endpoint)?;
    }
    Ok(())
}

/// Message of the 403 reply of the actions service when access is denied.
pub const ACTIONS_FORBIDDEN: &str =
    "Supplied authorization key does not have the permissions required to perform this operation.";

#[derive(Serialize)]
struct ForbiddenPayload<'a> {
    channels: Vec<&'a str>,
}

#[derive(Serialize)]
struct AccessManagerForbidden<'a> {
    message: &'static str,
    payload: ForbiddenPayload<'a>,
    error: bool,
    service: &'static str,
    status: u16,
}

/// 403 reply of Access Manager listing the denied channels:
/// `{"message":"Forbidden","payload":{"channels":["ch"]},"error":true,"service":"Access Manager","status":403}`.
pub fn access_manager_forbidden(channels: Vec<&str>) -> Reply {
    let body = AccessManagerForbidden {
        message: "Forbidden",
        payload: ForbiddenPayload { channels },
        error: true,
        service: "Access Manager",
        status: 403,
    };
    Reply::json(StatusCode::FORBIDDEN, &body, Layout::Compact)
}

fn check_access(
    rules: &AccessRules,
    request: &Request,
    endpoint: &Endpoint<'_>,
) -> Result<(), Reply> {
    let auth_key = request.query_value("auth");
    let access = endpoint.required_access();
    let denied: Vec<&str> = endpoint
        .channels()
        .into_iter()
        .filter(|channel| !rules.allows(auth_key, channel, access))
        .collect();
    if denied.is_empty() {
        return Ok(());
    }

    if endpoint.service() == Service::Actions {
        Err(actions_error(StatusCode::FORBIDDEN, ACTIONS_FORBIDDEN))
    } else {
        Err(access_manager_forbidden(denied))
    }
}

fn check_keys(
    state: &ServerState,
    endpoint: &Endpoint<'_>,
    subscribe_key: &str,
) -> Result<(), Reply> {
    let config = &state.config;
    let publish_key_accepted = match *endpoint {
        Endpoint::Publish { publish_key, .. } => config.accepts_publish_key(publish_key),
        _ => true,
    };
    if publish_key_accepted && config.accepts_subscribe_key(subscribe_key) {
        return Ok(());
    }

    Err(match endpoint.service() {
        Service::Publish => publish_error(
            StatusCode::BAD_REQUEST,
            "Invalid Key",
            clock::next_timetoken(),
        ),
        Service::History => history_error(StatusCode::BAD_REQUEST, INVALID_SUBSCRIBE_KEY),
        Service::Subscribe => service_error(
            StatusCode::BAD_REQUEST,
            "Access Manager",
            INVALID_SUBSCRIBE_KEY,
        ),
        Service::Presence => {
            service_error(StatusCode::BAD_REQUEST, "Presence", INVALID_SUBSCRIBE_KEY)
        }
        Service::Actions | Service::Time => {
            actions_error(StatusCode::BAD_REQUEST, "Invalid Subkey")
        }
    })
}

#[derive(Serialize)]
struct SignatureErrorBody {
    error: SignatureError,
    service: &'static str,
    status: u16,
}

#[derive(Serialize)]
struct SignatureError {
    message: &'static str,
    source: &'static str,
    details: [ErrorDetail; 1],
}

fn signature_error(message: &'static str, detail: ErrorDetail) -> Reply {
    let body = SignatureErrorBody {
        error: SignatureError {
            message,
            source: "grant",
            details: [detail],
        },
        service: "Access Manager",
        status: 403,
    };
    Reply::json(StatusCode::FORBIDDEN, &body, Layout::Spaced)
}

fn check_signature(
    state: &ServerState,
    request: &Request,
    endpoint: &Endpoint<'_>,
    secret_key: &str,
    subscribe_key: &str,
) -> Result<(), Reply> {
    let Some(timestamp) = request.query_value("timestamp") else {
        return Err(signature_error(
            "Invalid timestamp",
            ErrorDetail::missing("timestamp", "query"),
        ));
    };
    let in_window = timestamp.parse::<i64>().is_ok_and(|seconds| {
        (clock::unix_seconds() - seconds).abs() <= TIMESTAMP_TOLERANCE_SECONDS
    });
    if !in_window {
        return Err(signature_error(
            "Invalid timestamp",
            ErrorDetail {
                message: "Timestamp must be a Unix time in seconds within 60 seconds of the server clock.",
                location: "timestamp".to_owned(),
                location_type: "query",
            },
        ));
    }
    let Some(received) = request.query_value("signature") else {
        return Err(signature_error(
            "Invalid signature",
            ErrorDetail::missing("signature", "query"),
        ));
    };

    let canonical_query = signature::canonical_query(&request.raw_query);
    let publish_keys: Vec<&str> = match *endpoint {
        Endpoint::Publish { publish_key, .. } => vec![publish_key],
        _ => state
            .config
            .publish_keys
            .iter()
            .map(String::as_str)
            .collect(),
    };
    let method = request.method.as_str();
    let body: &[u8] = if matches!(method, "POST" | "PATCH" | "PUT") {
        &request.body
    } else {
        b""
    };
    let matches = publish_keys.iter().any(|publish_key| {
        let expected = signature::sign_v2(
            secret_key,
            method,
            publish_key,
            &request.raw_path,
            &canonical_query,
            body,
        );
        expected == received
            || publish_post_variants_match(
                request,
                endpoint,
                secret_key,
                subscribe_key,
                publish_key,
                &canonical_query,
                received,
            )
    });

    if matches {
        Ok(())
    } else {
        Err(signature_error(
            "Invalid signature",
            ErrorDetail {
                message: "Client and server produced different signatures for the same inputs.",
                location: "signature".to_owned(),
                location_type: "query",
            },
        ))
    }
}

/// Checks the other signatures SDKs send on `POST /publish`: the legacy v1
/// signature (Python), and v2 computed with method `GET` (JavaScript), with or
/// without the body.
fn publish_post_variants_match(
    request: &Request,
    endpoint: &Endpoint<'_>,
    secret_key: &str,
    subscribe_key: &str,
    publish_key: &str,
    canonical_query: &str,
    received: &str,
) -> bool {
    let is_publish_post = matches!(
        endpoint,
        Endpoint::Publish {
            source: super::publish::MessageSource::Body,
            ..
        }
    );
    if !is_publish_post {
        return false;
    }
    let legacy = signature::sign_v1(
        secret_key,
        subscribe_key,
        publish_key,
        &request.raw_path,
        canonical_query,
    );
    let unpadded_legacy = legacy.trim_end_matches('=');
    let get_with_body = signature::sign_v2(
        secret_key,
        "GET",
        publish_key,
        &request.raw_path,
        canonical_query,
        &request.body,
    );
    let get_without_body = signature::sign_v2(
        secret_key,
        "GET",
        publish_key,
        &request.raw_path,
        canonical_query,
        b"",
    );
    [
        legacy.as_str(),
        unpadded_legacy,
        &get_with_body,
        &get_without_body,
    ]
    .contains(&received)
}
