//! Forwards the library's log records (the `log` crate) to a C callback.

use std::ffi::{c_char, c_void};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Once, PoisonError, RwLock};

use super::{UserData, guard};

/// Receives one log record. `level` is 1 error, 2 warning, 3 info, 4 debug or
/// 5 trace. `target` names the module and `message` is the text; both are
/// NUL-terminated and valid only during the call. It may run on any thread,
/// including several at once. Records never contain keys or tokens.
pub type pna_log_callback_t = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        level: u32,
        target: *const c_char,
        message: *const c_char,
    ),
>;

struct Sink {
    callback: unsafe extern "C" fn(*mut c_void, u32, *const c_char, *const c_char),
    user_data: UserData,
    max_level: log::LevelFilter,
}

// SAFETY: the sink only passes user_data back to the caller's callback, which
// the header documents as callable from any thread.
unsafe impl Sync for Sink {}

static SINK: RwLock<Option<Sink>> = RwLock::new(None);
static INSTALL: Once = Once::new();
/// Whether this library installed the process's `log` logger, and so may set its maximum level.
static OWNS_LOGGER: AtomicBool = AtomicBool::new(false);

struct Forwarder;

impl log::Log for Forwarder {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        let sink = SINK.read().unwrap_or_else(PoisonError::into_inner);
        sink.as_ref()
            .is_some_and(|sink| metadata.level() <= sink.max_level)
    }

    fn log(&self, record: &log::Record<'_>) {
        let sink = SINK.read().unwrap_or_else(PoisonError::into_inner);
        let Some(sink) = sink.as_ref() else { return };
        if record.level() > sink.max_level {
            return;
        }
        let target = nul_terminated(record.target());
        let message = nul_terminated(&record.args().to_string());
        // SAFETY: the callback is the caller's function; both strings outlive the call.
        unsafe {
            (sink.callback)(
                sink.user_data.0,
                record.level() as u32,
                target.as_ptr().cast(),
                message.as_ptr().cast(),
            )
        };
    }

    fn flush(&self) {}
}

/// Copies `text` with a trailing NUL, dropping any NUL inside it.
fn nul_terminated(text: &str) -> Vec<u8> {
    let mut bytes: Vec<u8> = text.bytes().filter(|byte| *byte != 0).collect();
    bytes.push(0);
    bytes
}

/// Sends the library's log records up to `max_level` (1 error … 5 trace; 0
/// turns logging off) to `callback`, or stops logging when `callback` is NULL.
///
/// The setting is process-wide and replaces the previous one. If the program
/// already installed another logger for the Rust `log` crate, records go to
/// that logger instead and this call has no effect.
///
/// # Safety
/// `callback` is NULL or a function safe to call from any thread with
/// `user_data` until it is replaced or logging is turned off.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pna_set_log_callback(
    callback: pna_log_callback_t,
    user_data: *mut c_void,
    max_level: u32,
) {
    guard((), || {
        let mut installed = false;
        INSTALL.call_once(|| installed = log::set_logger(&Forwarder).is_ok());
        let max_level = match max_level {
            0 => log::LevelFilter::Off,
            1 => log::LevelFilter::Error,
            2 => log::LevelFilter::Warn,
            3 => log::LevelFilter::Info,
            4 => log::LevelFilter::Debug,
            _ => log::LevelFilter::Trace,
        };
        let sink = callback.map(|callback| Sink {
            callback,
            user_data: UserData(user_data),
            max_level,
        });
        *SINK.write().unwrap_or_else(PoisonError::into_inner) = sink;
        // The global maximum makes records above the sink's level cost nothing,
        // which matters because ureq logs every request at debug and trace.
        if installed || OWNS_LOGGER.load(Ordering::Relaxed) {
            OWNS_LOGGER.store(true, Ordering::Relaxed);
            let effective = if callback.is_some() {
                max_level
            } else {
                log::LevelFilter::Off
            };
            log::set_max_level(effective);
        }
    });
}
