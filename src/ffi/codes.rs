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
        Some(code) => code.c_message().as_ptr(),
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
            Some(category) => category.c_name().as_ptr(),
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
            Some(operation) => operation.c_name().as_ptr(),
            None => c_literal!("unknown operation"),
        },
    )
}

/// Returns the library version, such as "0.1.0". Never NULL; static.
#[unsafe(no_mangle)]
pub extern "C" fn pna_version() -> *const c_char {
    c_literal!(env!("CARGO_PKG_VERSION"))
}
