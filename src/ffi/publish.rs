//! Publishing a message, so that C programs can create messages to act on.

use std::ffi::c_char;

use super::client::pna_client_t;
use super::types::{StatusView, pna_status_t};
use super::{CHANNEL, MESSAGE, clear_output, guard, guard_code, pna_code_t, required_str};
use crate::error::Code;

/// Result of `pna_publish_sync`; free it with `pna_publish_result_free`.
#[repr(C)]
pub struct pna_publish_result_t {
    /// Outcome of the request.
    pub status: pna_status_t,
    /// Timetoken of the published message, or 0 on error.
    pub timetoken: u64,
}

#[repr(C)]
struct PublishResultOwned {
    public: pna_publish_result_t,
    _status: StatusView,
}

/// Publishes `message_json`, a JSON document (for example `"\"hello\""` or
/// `{"text":"hi"}`), to `channel` and waits for the reply on the calling thread.
/// The client needs a publish key.
///
/// Returns the status code of the request. Whenever the request was sent or
/// attempted, `*out_result` is set to an owned result; free it with
/// `pna_publish_result_free`. When the call is rejected before sending, it
/// returns that code and sets `*out_result` to NULL.
///
/// # Safety
/// `client` is NULL or a live handle; strings are NULL or NUL-terminated;
/// `out_result` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_publish_sync(
    client: *const pna_client_t,
    channel: *const c_char,
    message_json: *const c_char,
    out_result: *mut *mut pna_publish_result_t,
) -> pna_code_t {
    guard_code(|| {
        // SAFETY: the caller guarantees NULL or writable.
        unsafe { clear_output(out_result) }?;
        // SAFETY: the caller passes NULL or a live handle.
        let client = unsafe { client.as_ref() }
            .map(|handle| &handle.client)
            .ok_or(Code::ClientNull)?;
        // SAFETY (both): the caller guarantees NULL or NUL-terminated strings.
        let channel = unsafe { required_str(channel, CHANNEL) }?;
        let message_json = unsafe { required_str(message_json, MESSAGE) }?;

        let response = client.publish(channel, message_json)?;

        let status = StatusView::new(&response.status);
        let timetoken = response.data.map_or(0, |published| published.timetoken);
        let public = pna_publish_result_t {
            status: status.raw,
            timetoken,
        };
        let owned = Box::new(PublishResultOwned {
            public,
            _status: status,
        });
        // SAFETY: checked above.
        unsafe { out_result.write(Box::into_raw(owned).cast()) };
        Ok(response.status.code)
    })
}

/// Frees a result from `pna_publish_sync`. Does nothing for NULL.
///
/// # Safety
/// `result` is NULL or a result from `pna_publish_sync`, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_publish_result_free(result: *mut pna_publish_result_t) {
    guard((), || {
        if !result.is_null() {
            // SAFETY: the pointer came from pna_publish_sync, which boxed a PublishResultOwned.
            drop(unsafe { Box::from_raw(result.cast::<PublishResultOwned>()) });
        }
    });
}
