//! Timetokens: Unix time in 100-nanosecond units, 17 decimal digits for current dates.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Last timetoken handed out by this process, shared by every emulator in it.
static LAST_TIMETOKEN: AtomicU64 = AtomicU64::new(0);

/// Returns the current time in 100-ns units, strictly greater than every value
/// this function returned before in this process.
///
/// When the wall clock has not advanced (or went backwards), the previous value
/// plus one is returned, so two calls never yield the same timetoken.
pub fn next_timetoken() -> u64 {
    let now = wall_clock_timetoken();
    let mut last = LAST_TIMETOKEN.load(Ordering::Relaxed);
    loop {
        let next = now.max(last + 1);
        match LAST_TIMETOKEN.compare_exchange_weak(last, next, Ordering::AcqRel, Ordering::Relaxed)
        {
            Ok(_) => return next,
            Err(current) => last = current,
        }
    }
}

/// Returns the wall clock as Unix seconds, the unit of the signed `timestamp` parameter.
pub fn unix_seconds() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(elapsed) => i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX),
        Err(before_epoch) => -i64::try_from(before_epoch.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

fn wall_clock_timetoken() -> u64 {
    let elapsed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    u64::try_from(elapsed.as_nanos() / 100).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timetokens_strictly_increase() {
        let mut previous = next_timetoken();
        for _ in 0..10_000 {
            let current = next_timetoken();
            assert!(current > previous, "{current} is not above {previous}");
            previous = current;
        }
    }

    #[test]
    fn timetoken_has_17_digits() {
        assert_eq!(next_timetoken().to_string().len(), 17);
    }

    #[test]
    fn timetoken_is_in_100ns_units() {
        let seconds = unix_seconds();
        let timetoken_seconds = i64::try_from(next_timetoken() / 10_000_000).unwrap();
        assert!((timetoken_seconds - seconds).abs() <= 1);
    }
}
