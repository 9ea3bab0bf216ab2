import CPubNubActions

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns one `pna_client_t` handle and lends it out under a read-write lock.
///
/// `pna_client_free` requires that no other thread uses the handle during or
/// after the call. Every use holds the read lock, and ``free()`` takes the
/// write lock only to clear the pointer, so it waits for calls that are inside
/// the C library and later calls find no handle. Nothing calls back into Swift
/// while the read lock is held: callbacks always run on library threads.
final class NativeHandle: @unchecked Sendable {
    // Guarded by `lock`.
    private var pointer: OpaquePointer?
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
        lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        free()
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// Runs `body` with the live handle, or returns nil without running it
    /// when the handle was freed.
    func withPointer<Result>(_ body: (OpaquePointer) throws -> Result) rethrows -> Result? {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        guard let pointer else {
            return nil
        }
        return try body(pointer)
    }

    /// Frees the handle once; later calls do nothing. Every pending request's
    /// callback runs with a cancelled status before this returns, unless it is
    /// called from inside a callback of this client (see `pna_client_free`).
    func free() {
        pthread_rwlock_wrlock(lock)
        let pointer = self.pointer
        self.pointer = nil
        pthread_rwlock_unlock(lock)

        if let pointer {
            pna_client_free(pointer)
        }
    }
}

/// Calls `body` with C copies of `strings`, in the same order; nil stays NULL.
/// The copies are freed when `body` returns.
func withCStrings<Result>(
    _ strings: [String?],
    _ body: ([UnsafePointer<CChar>?]) throws -> Result
) rethrows -> Result {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { string in
        string.map { strdup($0) }
    }
    defer {
        for copy in copies {
            free(copy)
        }
    }
    return try body(copies.map { $0.map { UnsafePointer($0) } })
}
