//! Add, get and remove message actions: asynchronous calls with callbacks, and
//! synchronous calls that return owned results.

use std::ffi::{c_char, c_void};
use std::ptr;

use super::client::pna_client_t;
use super::types::{
    ActionView, PageView, StatusView, pna_action_t, pna_actions_page_t, pna_status_t,
};
use super::{
    CHANNEL, TYPE, UserData, VALUE, clear_output, guard, guard_code, pna_code_t, required_str,
};
use crate::error::Code;
use crate::model::{ActionsPage, MessageAction, PageBounds, Response};

/// Called once when an add completes.
///
/// `status` is never NULL. `action` is the stored action, or NULL when the
/// server returned none. It can be non-NULL on an error status, because with
/// `PNA_CODE_EVENT_NOT_PUBLISHED` (HTTP 207) the action was stored. Both
/// pointers are valid only until the callback returns. Runs on a library thread.
pub type pna_add_callback_t = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        status: *const pna_status_t,
        action: *const pna_action_t,
    ),
>;

/// Called once when a get completes.
///
/// `status` is never NULL; `page` is NULL on error. Both pointers are valid only
/// until the callback returns. Runs on a library thread.
pub type pna_get_callback_t = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        status: *const pna_status_t,
        page: *const pna_actions_page_t,
    ),
>;

/// Called once when a remove completes.
///
/// `status` is never NULL and valid only until the callback returns. Runs on a
/// library thread.
pub type pna_remove_callback_t =
    Option<unsafe extern "C" fn(user_data: *mut c_void, status: *const pna_status_t)>;

/// Result of `pna_add_message_action_sync`; free it with `pna_add_result_free`.
#[repr(C)]
pub struct pna_add_result_t {
    /// Outcome of the request.
    pub status: pna_status_t,
    /// The stored action, or NULL when the server returned none. It can be
    /// non-NULL on an error status (HTTP 207: stored, event not published).
    pub action: *const pna_action_t,
}

/// Result of `pna_get_message_actions_sync`; free it with `pna_get_result_free`.
#[repr(C)]
pub struct pna_get_result_t {
    /// Outcome of the request.
    pub status: pna_status_t,
    /// The page, or NULL on error.
    pub page: *const pna_actions_page_t,
}

/// Result of `pna_remove_message_action_sync`; free it with `pna_remove_result_free`.
#[repr(C)]
pub struct pna_remove_result_t {
    /// Outcome of the request.
    pub status: pna_status_t,
}

// Owned results: the public struct comes first, so a pointer to the box is a
// pointer to the public struct, followed by the storage its pointers point into.

#[repr(C)]
struct AddResultOwned {
    public: pna_add_result_t,
    _status: StatusView,
    action: Option<ActionView>,
}

#[repr(C)]
struct GetResultOwned {
    public: pna_get_result_t,
    _status: StatusView,
    page: Option<PageView>,
}

#[repr(C)]
struct RemoveResultOwned {
    public: pna_remove_result_t,
    _status: StatusView,
}

fn add_result(response: &Response<MessageAction>) -> *mut pna_add_result_t {
    let status = StatusView::new(&response.status);
    let public = pna_add_result_t {
        status: status.raw,
        action: ptr::null(),
    };
    let mut owned = Box::new(AddResultOwned {
        public,
        _status: status,
        action: response.data.as_ref().map(ActionView::new),
    });
    // The view now sits at its final address inside the box.
    owned.public.action = owned.action.as_ref().map_or(ptr::null(), |view| &view.raw);
    Box::into_raw(owned).cast()
}

fn get_result(response: &Response<ActionsPage>) -> *mut pna_get_result_t {
    let status = StatusView::new(&response.status);
    let public = pna_get_result_t {
        status: status.raw,
        page: ptr::null(),
    };
    let mut owned = Box::new(GetResultOwned {
        public,
        _status: status,
        page: response.data.as_ref().map(PageView::new),
    });
    owned.public.page = owned.page.as_ref().map_or(ptr::null(), |view| &view.raw);
    Box::into_raw(owned).cast()
}

fn remove_result(response: &Response<()>) -> *mut pna_remove_result_t {
    let status = StatusView::new(&response.status);
    let public = pna_remove_result_t { status: status.raw };
    Box::into_raw(Box::new(RemoveResultOwned {
        public,
        _status: status,
    }))
    .cast()
}

/// Writes `value` to an optional out-parameter.
///
/// # Safety
/// `out` is NULL or writable.
unsafe fn write_optional<T>(out: *mut T, value: T) {
    if !out.is_null() {
        // SAFETY: not NULL, and the caller guarantees writable memory.
        unsafe { out.write(value) };
    }
}

/// Borrows the client behind a handle.
///
/// # Safety
/// `client` is NULL or a live handle.
unsafe fn client_ref<'a>(client: *const pna_client_t) -> Result<&'a crate::Client, Code> {
    // SAFETY: the caller passes NULL or a live handle.
    unsafe { client.as_ref() }
        .map(|handle| &handle.client)
        .ok_or(Code::ClientNull)
}

// ---------------------------------------------------------------------------
// Add
// ---------------------------------------------------------------------------

/// Adds an action (`type`, `value`) to the message published at
/// `message_timetoken` on `channel`, asynchronously.
///
/// On `PNA_CODE_OK` the request is queued and `*out_request_id` (if not NULL)
/// is set. `callback` then runs exactly once on a library thread: with the
/// result, with an error status, or with a cancelled status if the client is
/// freed or the call cancelled first. On any other code nothing was sent and `callback`
/// never runs. Strings are copied before return.
///
/// # Safety
/// `client` is NULL or a live handle; strings are NULL or NUL-terminated;
/// `out_request_id` is NULL or writable. `user_data` is passed back untouched.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_add_message_action(
    client: *const pna_client_t,
    channel: *const c_char,
    message_timetoken: u64,
    r#type: *const c_char,
    value: *const c_char,
    callback: pna_add_callback_t,
    user_data: *mut c_void,
    out_request_id: *mut u64,
) -> pna_code_t {
    guard_code(|| {
        // SAFETY (all four): the caller guarantees the pointer contracts above.
        let client = unsafe { client_ref(client) }?;
        let channel = unsafe { required_str(channel, CHANNEL) }?;
        let action_type = unsafe { required_str(r#type, TYPE) }?;
        let value = unsafe { required_str(value, VALUE) }?;
        let callback = callback.ok_or(Code::CallbackNull)?;
        let user_data = UserData(user_data);

        let id = client.add_message_action_async(
            channel,
            message_timetoken,
            action_type,
            value,
            move |response| {
                let user_data = user_data;
                let status = StatusView::new(&response.status);
                let action = response.data.as_ref().map(ActionView::new);
                let action_pointer = action
                    .as_ref()
                    .map_or(ptr::null(), |view| &view.raw as *const pna_action_t);
                // SAFETY: the callback is the caller's function; the pointers stay valid until it returns.
                unsafe { callback(user_data.0, &status.raw, action_pointer) };
            },
        )?;

        // SAFETY: the caller guarantees NULL or writable.
        unsafe { write_optional(out_request_id, id) };
        Ok(Code::Ok)
    })
}

/// Adds an action and waits for the reply on the calling thread.
///
/// Returns the status code of the request. Whenever the request was sent or
/// attempted, `*out_result` is set to an owned result; free it with
/// `pna_add_result_free`. When the call is rejected before sending (an invalid
/// argument), it returns that code and sets `*out_result` to NULL.
///
/// # Safety
/// As for `pna_add_message_action`; `out_result` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_add_message_action_sync(
    client: *const pna_client_t,
    channel: *const c_char,
    message_timetoken: u64,
    r#type: *const c_char,
    value: *const c_char,
    out_result: *mut *mut pna_add_result_t,
) -> pna_code_t {
    guard_code(|| {
        // SAFETY: the caller guarantees NULL or writable.
        unsafe { clear_output(out_result) }?;
        // SAFETY (all four): the caller guarantees the pointer contracts above.
        let client = unsafe { client_ref(client) }?;
        let channel = unsafe { required_str(channel, CHANNEL) }?;
        let action_type = unsafe { required_str(r#type, TYPE) }?;
        let value = unsafe { required_str(value, VALUE) }?;

        let response = client.add_message_action(channel, message_timetoken, action_type, value)?;

        // SAFETY: checked above.
        unsafe { out_result.write(add_result(&response)) };
        Ok(response.status.code)
    })
}

/// Frees a result from `pna_add_message_action_sync`. Does nothing for NULL.
///
/// # Safety
/// `result` is NULL or a result from `pna_add_message_action_sync`, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_add_result_free(result: *mut pna_add_result_t) {
    guard((), || {
        if !result.is_null() {
            // SAFETY: the pointer came from add_result, which boxed an AddResultOwned.
            drop(unsafe { Box::from_raw(result.cast::<AddResultOwned>()) });
        }
    });
}

// ---------------------------------------------------------------------------
// Get
// ---------------------------------------------------------------------------

/// Lists the actions on `channel`, oldest first, asynchronously.
///
/// `start` (exclusive) and `end` (inclusive) bound the action timetokens, 0
/// leaving a bound unset; `limit` is 1 to 100, or 0 for 100. The service
/// returns the newest `limit` actions of the range; the page's `next_*` fields
/// give the bounds of the next, older page. Callback and ownership rules are
/// those of `pna_add_message_action`.
///
/// # Safety
/// `client` is NULL or a live handle; `channel` is NULL or NUL-terminated;
/// `out_request_id` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_get_message_actions(
    client: *const pna_client_t,
    channel: *const c_char,
    start: u64,
    end: u64,
    limit: u32,
    callback: pna_get_callback_t,
    user_data: *mut c_void,
    out_request_id: *mut u64,
) -> pna_code_t {
    guard_code(|| {
        // SAFETY (both): the caller guarantees the pointer contracts above.
        let client = unsafe { client_ref(client) }?;
        let channel = unsafe { required_str(channel, CHANNEL) }?;
        let callback = callback.ok_or(Code::CallbackNull)?;
        let user_data = UserData(user_data);
        let bounds = PageBounds { start, end, limit };

        let id = client.get_message_actions_async(channel, bounds, move |response| {
            let user_data = user_data;
            let status = StatusView::new(&response.status);
            let page = response.data.as_ref().map(PageView::new);
            let page_pointer = page
                .as_ref()
                .map_or(ptr::null(), |view| &view.raw as *const pna_actions_page_t);
            // SAFETY: the callback is the caller's function; the pointers stay valid until it returns.
            unsafe { callback(user_data.0, &status.raw, page_pointer) };
        })?;

        // SAFETY: the caller guarantees NULL or writable.
        unsafe { write_optional(out_request_id, id) };
        Ok(Code::Ok)
    })
}

/// Lists the actions on `channel` and waits for the reply on the calling thread.
///
/// Arguments as `pna_get_message_actions`; result rules as
/// `pna_add_message_action_sync`. Free the result with `pna_get_result_free`.
///
/// # Safety
/// As for `pna_get_message_actions`; `out_result` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_get_message_actions_sync(
    client: *const pna_client_t,
    channel: *const c_char,
    start: u64,
    end: u64,
    limit: u32,
    out_result: *mut *mut pna_get_result_t,
) -> pna_code_t {
    guard_code(|| {
        // SAFETY: the caller guarantees NULL or writable.
        unsafe { clear_output(out_result) }?;
        // SAFETY (both): the caller guarantees the pointer contracts above.
        let client = unsafe { client_ref(client) }?;
        let channel = unsafe { required_str(channel, CHANNEL) }?;

        let response = client.get_message_actions(channel, PageBounds { start, end, limit })?;

        // SAFETY: checked above.
        unsafe { out_result.write(get_result(&response)) };
        Ok(response.status.code)
    })
}

/// Frees a result from `pna_get_message_actions_sync`. Does nothing for NULL.
///
/// # Safety
/// `result` is NULL or a result from `pna_get_message_actions_sync`, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_get_result_free(result: *mut pna_get_result_t) {
    guard((), || {
        if !result.is_null() {
            // SAFETY: the pointer came from get_result, which boxed a GetResultOwned.
            drop(unsafe { Box::from_raw(result.cast::<GetResultOwned>()) });
        }
    });
}

// ---------------------------------------------------------------------------
// Remove
// ---------------------------------------------------------------------------

/// Removes the action added at `action_timetoken` to the message published at
/// `message_timetoken` on `channel`, asynchronously. Only the action's author
/// (the same user id) may remove it. Callback and ownership rules are those of
/// `pna_add_message_action`.
///
/// # Safety
/// `client` is NULL or a live handle; `channel` is NULL or NUL-terminated;
/// `out_request_id` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_remove_message_action(
    client: *const pna_client_t,
    channel: *const c_char,
    message_timetoken: u64,
    action_timetoken: u64,
    callback: pna_remove_callback_t,
    user_data: *mut c_void,
    out_request_id: *mut u64,
) -> pna_code_t {
    guard_code(|| {
        // SAFETY (both): the caller guarantees the pointer contracts above.
        let client = unsafe { client_ref(client) }?;
        let channel = unsafe { required_str(channel, CHANNEL) }?;
        let callback = callback.ok_or(Code::CallbackNull)?;
        let user_data = UserData(user_data);

        let id = client.remove_message_action_async(
            channel,
            message_timetoken,
            action_timetoken,
            move |response| {
                let user_data = user_data;
                let status = StatusView::new(&response.status);
                // SAFETY: the callback is the caller's function; the pointer stays valid until it returns.
                unsafe { callback(user_data.0, &status.raw) };
            },
        )?;

        // SAFETY: the caller guarantees NULL or writable.
        unsafe { write_optional(out_request_id, id) };
        Ok(Code::Ok)
    })
}

/// Removes an action and waits for the reply on the calling thread.
///
/// Arguments as `pna_remove_message_action`; result rules as
/// `pna_add_message_action_sync`. Free the result with `pna_remove_result_free`.
///
/// # Safety
/// As for `pna_remove_message_action`; `out_result` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_remove_message_action_sync(
    client: *const pna_client_t,
    channel: *const c_char,
    message_timetoken: u64,
    action_timetoken: u64,
    out_result: *mut *mut pna_remove_result_t,
) -> pna_code_t {
    guard_code(|| {
        // SAFETY: the caller guarantees NULL or writable.
        unsafe { clear_output(out_result) }?;
        // SAFETY (both): the caller guarantees the pointer contracts above.
        let client = unsafe { client_ref(client) }?;
        let channel = unsafe { required_str(channel, CHANNEL) }?;

        let response =
            client.remove_message_action(channel, message_timetoken, action_timetoken)?;

        // SAFETY: checked above.
        unsafe { out_result.write(remove_result(&response)) };
        Ok(response.status.code)
    })
}

/// Frees a result from `pna_remove_message_action_sync`. Does nothing for NULL.
///
/// # Safety
/// `result` is NULL or a result from `pna_remove_message_action_sync`, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_remove_result_free(result: *mut pna_remove_result_t) {
    guard((), || {
        if !result.is_null() {
            // SAFETY: the pointer came from remove_result, which boxed a RemoveResultOwned.
            drop(unsafe { Box::from_raw(result.cast::<RemoveResultOwned>()) });
        }
    });
}
