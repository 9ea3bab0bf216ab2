//! C views of statuses, actions and pages, and the storage that backs them.

use std::ffi::c_char;
use std::ptr;

use super::{pna_category_t, pna_code_t, pna_operation_t};
use crate::error::Status;
use crate::model::{ActionsPage, MessageAction};

/// Outcome of a request.
///
/// Every string is NUL-terminated UTF-8 owned by the library: in a callback it
/// is valid until the callback returns, in a `…_result_t` until the result is
/// freed. Copy what you keep.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct pna_status_t {
    /// `PNA_CODE_OK` on success, otherwise what went wrong (HTTP 207 included).
    pub code: pna_code_t,
    /// The PubNub Python SDK's `PNStatusCategory` number for `code`.
    pub category: pna_category_t,
    /// The PubNub Python SDK's `PNOperationType` number: 42 add, 43 get, 44 remove, 3 publish.
    pub operation: pna_operation_t,
    /// HTTP status of the reply, or 0 when no reply arrived.
    pub http_status: u32,
    /// True when `code` is not `PNA_CODE_OK`.
    pub error: bool,
    /// Description of the outcome for people; never NULL.
    pub message: *const c_char,
    /// The server's error message, or NULL when the reply had none.
    pub server_message: *const c_char,
    /// The server's `error.details` array as JSON text, or NULL.
    pub server_details: *const c_char,
    /// Seconds from the reply's `Retry-After` header, or 0 when absent.
    pub retry_after_seconds: u32,
    /// Host (and port) the request went to; never NULL.
    pub origin: *const c_char,
    /// Whether the request used TLS.
    pub tls: bool,
    /// User id the request was sent with; never NULL.
    pub user_id: *const c_char,
    /// Channel of the request; never NULL.
    pub channel: *const c_char,
    /// Id returned by the asynchronous call, or 0 for a synchronous call.
    pub request_id: u64,
}

/// An action attached to a published message.
///
/// Strings are NUL-terminated UTF-8 with the same lifetime as the status they
/// came with. `type_len`, `value_len` and `user_id_len` give their length in
/// bytes, which matters only if another client stored a NUL character in them.
#[repr(C)]
pub struct pna_action_t {
    /// Action type, such as "reaction".
    pub r#type: *const c_char,
    /// Length of `type` in bytes.
    pub type_len: usize,
    /// Action value, such as "smiley_face".
    pub value: *const c_char,
    /// Length of `value` in bytes.
    pub value_len: usize,
    /// User id of the author (`uuid` on the wire).
    pub user_id: *const c_char,
    /// Length of `user_id` in bytes.
    pub user_id_len: usize,
    /// Timetoken the server assigned to the action.
    pub action_timetoken: u64,
    /// Timetoken of the message the action is attached to.
    pub message_timetoken: u64,
}

/// One page of a channel's actions, oldest first.
#[repr(C)]
pub struct pna_actions_page_t {
    /// The actions, or NULL when `count` is 0.
    pub actions: *const pna_action_t,
    /// Number of actions.
    pub count: usize,
    /// True when older actions may follow; pass `next_start`, `next_end` and
    /// `next_limit` to the next get call to read them.
    pub has_next: bool,
    /// `start` of the next page (exclusive), when `has_next`.
    pub next_start: u64,
    /// `end` of the next page (inclusive, 0 for none), when `has_next`.
    pub next_end: u64,
    /// `limit` of the next page, when `has_next`.
    pub next_limit: u32,
}

/// NUL-terminated copies of strings, kept alive as long as the views that point into them.
#[derive(Default)]
pub(crate) struct Strings {
    buffers: Vec<Box<[u8]>>,
}

impl Strings {
    /// Stores a NUL-terminated copy of `text` and returns a pointer to it.
    pub(crate) fn add(&mut self, text: &str) -> *const c_char {
        let mut buffer = Vec::with_capacity(text.len() + 1);
        buffer.extend_from_slice(text.as_bytes());
        buffer.push(0);
        let buffer = buffer.into_boxed_slice();
        let pointer = buffer.as_ptr().cast::<c_char>();
        // Moving the box into the vector does not move its heap buffer.
        self.buffers.push(buffer);
        pointer
    }

    /// Like [`Strings::add`], with NULL for `None`.
    pub(crate) fn add_optional(&mut self, text: Option<&str>) -> *const c_char {
        text.map_or(ptr::null(), |text| self.add(text))
    }
}

/// A status view together with the strings it points to.
pub(crate) struct StatusView {
    _strings: Strings,
    pub(crate) raw: pna_status_t,
}

impl StatusView {
    pub(crate) fn new(status: &Status) -> StatusView {
        let mut strings = Strings::default();
        let raw = pna_status_t {
            code: status.code,
            category: status.category,
            operation: status.operation,
            http_status: u32::from(status.http_status),
            error: status.is_error(),
            message: strings.add(&status.message),
            server_message: strings.add_optional(status.server_message.as_deref()),
            server_details: strings.add_optional(status.server_details.as_deref()),
            retry_after_seconds: status.retry_after_seconds.unwrap_or(0),
            origin: strings.add(&status.origin),
            tls: status.tls,
            user_id: strings.add(&status.user_id),
            channel: strings.add(&status.channel),
            request_id: status.request_id,
        };
        StatusView {
            _strings: strings,
            raw,
        }
    }
}

fn action_view(action: &MessageAction, strings: &mut Strings) -> pna_action_t {
    pna_action_t {
        r#type: strings.add(&action.action_type),
        type_len: action.action_type.len(),
        value: strings.add(&action.value),
        value_len: action.value.len(),
        user_id: strings.add(&action.uuid),
        user_id_len: action.uuid.len(),
        action_timetoken: action.action_timetoken,
        message_timetoken: action.message_timetoken,
    }
}

/// An action view together with the strings it points to.
pub(crate) struct ActionView {
    _strings: Strings,
    pub(crate) raw: pna_action_t,
}

impl ActionView {
    pub(crate) fn new(action: &MessageAction) -> ActionView {
        let mut strings = Strings::default();
        let raw = action_view(action, &mut strings);
        ActionView {
            _strings: strings,
            raw,
        }
    }
}

/// A page view together with its actions and their strings.
pub(crate) struct PageView {
    _strings: Strings,
    _actions: Vec<pna_action_t>,
    pub(crate) raw: pna_actions_page_t,
}

impl PageView {
    pub(crate) fn new(page: &ActionsPage) -> PageView {
        let mut strings = Strings::default();
        let actions: Vec<pna_action_t> = page
            .actions
            .iter()
            .map(|action| action_view(action, &mut strings))
            .collect();
        let next = page.next.unwrap_or_default();
        let raw = pna_actions_page_t {
            // The vector's heap buffer does not move when the vector is moved into the view.
            actions: if actions.is_empty() {
                ptr::null()
            } else {
                actions.as_ptr()
            },
            count: actions.len(),
            has_next: page.next.is_some(),
            next_start: next.start,
            next_end: next.end,
            next_limit: next.limit,
        };
        PageView {
            _strings: strings,
            _actions: actions,
            raw,
        }
    }
}

// SAFETY: the views own every buffer their raw pointers point into and never
// mutate them, so moving a view to another thread moves the data with it.
unsafe impl Send for StatusView {}
// SAFETY: as for StatusView.
unsafe impl Send for ActionView {}
// SAFETY: as for StatusView.
unsafe impl Send for PageView {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn strings_are_nul_terminated_copies() {
        let mut strings = Strings::default();
        let pointer = strings.add("héllo");
        let other = strings.add("");
        // SAFETY: both pointers point into buffers owned by `strings`.
        unsafe {
            assert_eq!(CStr::from_ptr(pointer).to_str(), Ok("héllo"));
            assert_eq!(CStr::from_ptr(other).to_str(), Ok(""));
        }
        assert!(strings.add_optional(None).is_null());
    }

    #[test]
    fn action_with_nul_keeps_full_length() {
        let action = MessageAction {
            action_type: "a\0b".into(),
            value: "v".into(),
            uuid: "u".into(),
            action_timetoken: 2,
            message_timetoken: 1,
        };
        let view = ActionView::new(&action);
        assert_eq!(view.raw.type_len, 3);
        // SAFETY: points into the view's own buffer, which contains 3 bytes plus a NUL.
        let bytes =
            unsafe { std::slice::from_raw_parts(view.raw.r#type.cast::<u8>(), view.raw.type_len) };
        assert_eq!(bytes, b"a\0b");
    }

    #[test]
    fn empty_page_has_null_actions() {
        let view = PageView::new(&ActionsPage::default());
        assert!(view.raw.actions.is_null());
        assert_eq!(view.raw.count, 0);
        assert!(!view.raw.has_next);
    }
}
