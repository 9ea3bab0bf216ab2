//! The C ABI, and nothing else: C structs, handles, callbacks and the panic guard.
//!
//! Conventions, stated once (the header repeats them for C readers):
//! - Every function that can fail returns a `pna_code_t` (0 is success) and
//!   writes its outputs through trailing out-parameters.
//! - Strings in are NUL-terminated UTF-8, borrowed for the call only.
//! - Every body runs inside [`guard`], so a panic becomes [`Code::Internal`]
//!   instead of unwinding into C.
//! - Pointers are checked for NULL before use; callbacks are
//!   `Option<unsafe extern "C" fn>` so a NULL callback is a checked error.

#![expect(
    non_camel_case_types,
    reason = "C type names follow the C convention pna_…_t"
)]

pub mod actions;
pub mod client;
pub mod codes;
pub mod log;
pub mod publish;
pub mod types;

use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::error::Code;

/// Numeric result code; see `enum pna_code` for the values.
pub type pna_code_t = Code;
/// Status category number, as the PubNub Python SDK's `PNStatusCategory`.
pub type pna_category_t = crate::error::Category;
/// Operation number, as the PubNub Python SDK's `PNOperationType`.
pub type pna_operation_t = crate::error::Operation;

/// Runs `body`, returning `fallback` if it panics.
pub(crate) fn guard<R>(fallback: R, body: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| {
        ::log::error!("a panic was caught at the C boundary; returning an internal error");
        fallback
    })
}

/// Runs `body` and folds its `Err` into the returned code.
pub(crate) fn guard_code(body: impl FnOnce() -> Result<Code, Code>) -> Code {
    guard(Code::Internal, || body().unwrap_or_else(|code| code))
}

/// Sets a required result out-parameter to NULL, so that it is NULL whenever
/// the call is rejected, or fails with [`Code::OutputNull`].
///
/// # Safety
/// `out` is NULL or writable.
pub(crate) unsafe fn clear_output<T>(out: *mut *mut T) -> Result<(), Code> {
    if out.is_null() {
        return Err(Code::OutputNull);
    }
    // SAFETY: not NULL, and the caller guarantees writable memory.
    unsafe { out.write(std::ptr::null_mut()) };
    Ok(())
}

/// The codes that describe one string argument's problems.
pub(crate) struct StringArgument {
    pub null: Code,
    pub empty: Option<Code>,
    pub not_utf8: Code,
}

/// Borrows a required C string argument as `&str`.
///
/// # Safety
/// `pointer` is NULL or points to a NUL-terminated string that stays valid and
/// unchanged for `'a`.
pub(crate) unsafe fn required_str<'a>(
    pointer: *const c_char,
    argument: StringArgument,
) -> Result<&'a str, Code> {
    if pointer.is_null() {
        return Err(argument.null);
    }
    // SAFETY: not NULL, and the caller guarantees a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(pointer) }.to_bytes();
    let text = std::str::from_utf8(bytes).map_err(|_| argument.not_utf8)?;
    match argument.empty {
        Some(empty) if text.is_empty() => Err(empty),
        _ => Ok(text),
    }
}

/// Borrows an optional C string argument: NULL gives `None`.
///
/// # Safety
/// As for [`required_str`].
pub(crate) unsafe fn optional_str<'a>(
    pointer: *const c_char,
    not_utf8: Code,
) -> Result<Option<&'a str>, Code> {
    if pointer.is_null() {
        return Ok(None);
    }
    // SAFETY: not NULL, and the caller guarantees a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(pointer) }.to_bytes();
    std::str::from_utf8(bytes).map(Some).map_err(|_| not_utf8)
}

/// The channel argument's codes.
pub(crate) const CHANNEL: StringArgument = StringArgument {
    null: Code::ChannelNull,
    empty: Some(Code::ChannelEmpty),
    not_utf8: Code::ChannelNotUtf8,
};
/// The action type argument's codes.
pub(crate) const TYPE: StringArgument = StringArgument {
    null: Code::TypeNull,
    empty: Some(Code::TypeEmpty),
    not_utf8: Code::TypeNotUtf8,
};
/// The action value argument's codes.
pub(crate) const VALUE: StringArgument = StringArgument {
    null: Code::ValueNull,
    empty: Some(Code::ValueEmpty),
    not_utf8: Code::ValueNotUtf8,
};
/// The publish message argument's codes.
pub(crate) const MESSAGE: StringArgument = StringArgument {
    null: Code::MessageNull,
    empty: Some(Code::MessageEmpty),
    not_utf8: Code::MessageNotUtf8,
};

/// Caller data handed back to a callback, possibly on another thread.
pub(crate) struct UserData(pub *mut std::ffi::c_void);

// SAFETY: the library never dereferences user data. It only passes the pointer
// back to the caller's callback, which the header documents as running on a
// library thread.
unsafe impl Send for UserData {}
