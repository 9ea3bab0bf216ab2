//! The client handle: configuration, creation, destruction and cancellation.

use std::ffi::c_char;
use std::path::PathBuf;
use std::time::Duration;

use super::{StringArgument, guard, guard_code, optional_str, pna_code_t, required_str};
use crate::Client;
use crate::config::{self, Config};
use crate::error::Code;

/// A PubNub Message Actions client.
///
/// Create it with `pna_client_new` and destroy it with `pna_client_free`. One
/// client may be used from any number of threads at once.
pub struct pna_client_t {
    pub(crate) client: Client,
}

/// Settings for `pna_client_new`.
///
/// Initialise it with `pna_config_init`, then set the fields you need. Strings
/// are borrowed only during `pna_client_new`, which copies them.
#[repr(C)]
pub struct pna_config_t {
    /// Subscribe key of the key set. Required.
    pub subscribe_key: *const c_char,
    /// Publish key; NULL when not publishing or signing.
    pub publish_key: *const c_char,
    /// Secret key; when set (with `publish_key`), every request is signed. NULL for none.
    pub secret_key: *const c_char,
    /// Access Manager auth key or token, sent as `auth`. NULL for none.
    pub auth_key: *const c_char,
    /// User id sent with every request; it becomes the author of added actions.
    /// Required, at most 92 bytes.
    pub user_id: *const c_char,
    /// Host or host:port of the service, with no scheme. Required: there is no
    /// default, so nothing is sent anywhere you did not choose.
    pub origin: *const c_char,
    /// Use HTTPS with certificate verification (`pna_config_init` sets true).
    /// Set false for the local emulator.
    pub tls: bool,
    /// PEM file of certificate authorities to trust instead of the built-in
    /// Mozilla roots; NULL for the built-in roots.
    pub ca_file: *const c_char,
    /// Time allowed to connect, in milliseconds; 0 means 10000.
    pub connect_timeout_ms: u32,
    /// Time allowed for a whole request, in milliseconds; 0 means 10000.
    pub request_timeout_ms: u32,
    /// Worker threads for asynchronous calls; 0 means 4, at most 256.
    pub worker_count: u32,
    /// Asynchronous calls that may wait for a worker; 0 means 4096. More are
    /// rejected with `PNA_CODE_QUEUE_FULL`.
    pub queue_capacity: u32,
}

/// Fills `config` with defaults: every string NULL, `tls` true, every number 0
/// (meaning its default). Does nothing when `config` is NULL.
///
/// # Safety
/// `config` is NULL or points to writable memory for one `pna_config_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_config_init(config: *mut pna_config_t) {
    guard((), || {
        if config.is_null() {
            return;
        }
        let defaults = pna_config_t {
            subscribe_key: std::ptr::null(),
            publish_key: std::ptr::null(),
            secret_key: std::ptr::null(),
            auth_key: std::ptr::null(),
            user_id: std::ptr::null(),
            origin: std::ptr::null(),
            tls: true,
            ca_file: std::ptr::null(),
            connect_timeout_ms: 0,
            request_timeout_ms: 0,
            worker_count: 0,
            queue_capacity: 0,
        };
        // SAFETY: not NULL, and the caller guarantees writable memory.
        unsafe { config.write(defaults) };
    });
}

/// Creates a client from `config` and writes it to `*out_client`.
///
/// Returns `PNA_CODE_OK`, or an invalid-argument code naming the first bad
/// setting, in which case `*out_client` is set to NULL (when `out_client` is
/// not NULL). The caller owns the client and must free it with `pna_client_free`.
///
/// # Safety
/// `config` is NULL or points to a valid `pna_config_t` whose strings are NULL
/// or NUL-terminated; `out_client` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_client_new(
    config: *const pna_config_t,
    out_client: *mut *mut pna_client_t,
) -> pna_code_t {
    guard_code(|| {
        if out_client.is_null() {
            return Err(Code::OutputNull);
        }
        // SAFETY: not NULL, and the caller guarantees writable memory.
        unsafe { out_client.write(std::ptr::null_mut()) };
        if config.is_null() {
            return Err(Code::ConfigNull);
        }
        // SAFETY: not NULL, and the caller guarantees a valid struct.
        let config = unsafe { read_config(&*config) }?;

        let client = Client::new(config)?;

        let handle = Box::into_raw(Box::new(pna_client_t { client }));
        // SAFETY: checked above.
        unsafe { out_client.write(handle) };
        Ok(Code::Ok)
    })
}

/// Converts the C configuration into an owned [`Config`], checking every string.
///
/// # Safety
/// The strings in `config` are NULL or NUL-terminated.
unsafe fn read_config(config: &pna_config_t) -> Result<Config, Code> {
    let subscribe_key_argument = StringArgument {
        null: Code::SubscribeKeyNull,
        empty: Some(Code::SubscribeKeyEmpty),
        not_utf8: Code::SubscribeKeyNotUtf8,
    };
    let user_id_argument = StringArgument {
        null: Code::UserIdNull,
        empty: Some(Code::UserIdEmpty),
        not_utf8: Code::UserIdNotUtf8,
    };
    let origin_argument = StringArgument {
        null: Code::OriginNull,
        empty: Some(Code::OriginEmpty),
        not_utf8: Code::OriginNotUtf8,
    };

    // SAFETY (all six): the caller guarantees NULL or NUL-terminated strings.
    let subscribe_key = unsafe { required_str(config.subscribe_key, subscribe_key_argument) }?;
    let publish_key = unsafe { optional_str(config.publish_key, Code::PublishKeyNotUtf8) }?;
    let secret_key = unsafe { optional_str(config.secret_key, Code::SecretKeyNotUtf8) }?;
    let auth_key = unsafe { optional_str(config.auth_key, Code::AuthKeyNotUtf8) }?;
    let user_id = unsafe { required_str(config.user_id, user_id_argument) }?;
    let origin = unsafe { required_str(config.origin, origin_argument) }?;
    // SAFETY: as above.
    let ca_file = unsafe { optional_str(config.ca_file, Code::CaFileNotUtf8) }?;

    let or_default = |value: u32, default: usize| if value == 0 { default } else { value as usize };
    let timeout = |milliseconds: u32| {
        if milliseconds == 0 {
            config::DEFAULT_TIMEOUT
        } else {
            Duration::from_millis(u64::from(milliseconds))
        }
    };
    let mut result = Config::new(subscribe_key, user_id, origin);
    result.publish_key = publish_key.map(str::to_owned);
    result.secret_key = secret_key.map(str::to_owned);
    result.auth_key = auth_key.map(str::to_owned);
    result.tls = config.tls;
    result.ca_file = ca_file.map(PathBuf::from);
    result.connect_timeout = timeout(config.connect_timeout_ms);
    result.request_timeout = timeout(config.request_timeout_ms);
    result.worker_count = or_default(config.worker_count, config::DEFAULT_WORKER_COUNT);
    result.queue_capacity = or_default(config.queue_capacity, config::DEFAULT_QUEUE_CAPACITY);
    Ok(result)
}

/// Destroys a client. Does nothing when `client` is NULL.
///
/// Every asynchronous call that has not completed gets its callback with
/// `PNA_CODE_CANCELLED` (a request already sent may still take effect on the
/// server). Called from any thread other than a callback of this client, it
/// returns after every callback has returned, so user data may be freed next.
/// Called from inside a callback of this client, it returns at once and the
/// remaining callbacks run afterwards on library threads. The handle is invalid
/// after this call.
///
/// # Safety
/// `client` is NULL or a handle from `pna_client_new` not yet freed, and no
/// other thread uses it during or after this call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_client_free(client: *mut pna_client_t) {
    guard((), || {
        if client.is_null() {
            return;
        }
        // SAFETY: the caller passes a handle from pna_client_new, freed once.
        let handle = unsafe { Box::from_raw(client) };
        handle.client.close();
        drop(handle);
    });
}

/// Cancels a pending asynchronous call by the id it returned.
///
/// Returns `PNA_CODE_OK` when the call was pending: its callback then runs once
/// with `PNA_CODE_CANCELLED`, on a library thread, soon after. Returns
/// `PNA_CODE_REQUEST_NOT_FOUND` when the call has already completed (its
/// callback ran or is running) or the id is unknown.
///
/// # Safety
/// `client` is NULL or a live handle from `pna_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_cancel(client: *const pna_client_t, request_id: u64) -> pna_code_t {
    guard_code(|| {
        // SAFETY: the caller passes NULL or a live handle.
        let handle = unsafe { client.as_ref() }.ok_or(Code::ClientNull)?;

        handle.client.cancel(request_id)?;

        Ok(Code::Ok)
    })
}
