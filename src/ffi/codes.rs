//! Messages and names for codes, categories and operations, and the version.

use std::ffi::c_char;

use super::guard;
use crate::error::{Category, Code, Operation};

/// Turns a static string literal with a trailing NUL into a C string pointer.
macro_rules! c_literal {
    ($text:expr) => {
        concat!($text, "\0").as_ptr().cast::<c_char>()
    };
}

/// Returns the static message for `code`, such as "invalid argument: channel
/// is NULL", or "unknown code" for a number that is not a code. Never NULL;
/// the string lives as long as the program.
#[unsafe(no_mangle)]
pub extern "C" fn pna_code_message(code: u32) -> *const c_char {
    guard(c_literal!("unknown code"), || match Code::from_u32(code) {
        Some(code) => static_c_string(code.message()),
        None => c_literal!("unknown code"),
    })
}

/// Returns the PubNub Python SDK name of a status category, such as
/// "PNAccessDeniedCategory", or "unknown category". Never NULL; static.
#[unsafe(no_mangle)]
pub extern "C" fn pna_category_name(category: u32) -> *const c_char {
    guard(
        c_literal!("unknown category"),
        || match Category::from_u32(category) {
            Some(category) => static_c_string(category.name()),
            None => c_literal!("unknown category"),
        },
    )
}

/// Returns the PubNub Python SDK name of an operation, such as
/// "PNAddMessageAction", or "unknown operation". Never NULL; static.
#[unsafe(no_mangle)]
pub extern "C" fn pna_operation_name(operation: u32) -> *const c_char {
    guard(
        c_literal!("unknown operation"),
        || match Operation::from_u32(operation) {
            Some(operation) => static_c_string(operation.name()),
            None => c_literal!("unknown operation"),
        },
    )
}

/// Returns the library version, such as "0.1.0". Never NULL; static.
#[unsafe(no_mangle)]
pub extern "C" fn pna_version() -> *const c_char {
    c_literal!(env!("CARGO_PKG_VERSION"))
}

/// Returns a NUL-terminated copy of a static string, made once and kept for
/// the life of the program.
fn static_c_string(text: &'static str) -> *const c_char {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock, PoisonError};

    static CACHE: OnceLock<Mutex<HashMap<usize, &'static [u8]>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
    let entry = cache.entry(text.as_ptr() as usize).or_insert_with(|| {
        let mut bytes = text.as_bytes().to_vec();
        bytes.push(0);
        Box::leak(bytes.into_boxed_slice())
    });
    entry.as_ptr().cast()
}
