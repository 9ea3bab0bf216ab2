import CPubNubActions
import Foundation

/// The completion handler of one asynchronous C call and what it needs to
/// build the result. Passed to C as `user_data`, retained once, and released
/// by the callback that takes it back (or by the caller when the call fails).
final class PendingRequest<Success: Sendable>: Sendable {
    let channel: String
    let completion: @Sendable (Result<Success, PubNubActionsError>) -> Void

    init(channel: String, completion: @escaping @Sendable (Result<Success, PubNubActionsError>) -> Void) {
        self.channel = channel
        self.completion = completion
    }

    /// Calls the completion with `value` when the status is success, and with
    /// the mapped error otherwise.
    func complete(status: RequestStatus, value: Success?, action: MessageAction? = nil) {
        if status.code == .ok, let value {
            completion(.success(value))
        } else {
            completion(.failure(PubNubActionsError(status: status, action: action)))
        }
    }
}

/// Signature shared by the asynchronous C calls once their own arguments are
/// bound: handle, user data and the request id out-parameter.
typealias StartCall = (OpaquePointer, UnsafeMutableRawPointer, UnsafeMutablePointer<UInt64>) -> pna_code_t

/// Starts an asynchronous C call with a retained ``PendingRequest`` as user
/// data and returns the request id.
///
/// When the C call rejects the request, or the client is closed, the C
/// callback never runs. This function then releases the request, calls
/// `completion` with the error on the calling thread, and returns nil.
func startRequest<Success: Sendable>(
    on handle: NativeHandle,
    channel: String,
    completion: @escaping @Sendable (Result<Success, PubNubActionsError>) -> Void,
    call: StartCall
) -> UInt64? {
    let request = PendingRequest(channel: channel, completion: completion)
    let userData = Unmanaged.passRetained(request).toOpaque()
    var requestId: UInt64 = 0

    let returned = handle.withPointer { pointer in
        call(pointer, userData, &requestId)
    }
    let code = PubNubActionsError.Code(rawValue: returned ?? PubNubActionsError.Code.clientClosed.rawValue)
    if code == .ok {
        return requestId
    }

    // The completion runs after the handle's lock is released, because it may
    // release the last reference to the client, whose deinit frees the handle.
    Unmanaged<PendingRequest<Success>>.fromOpaque(userData).release()
    completion(.failure(PubNubActionsError(rejectedCall: code)))
    return nil
}

/// Takes back the request retained by ``startRequest(on:channel:completion:call:)``.
private func takeRequest<Success>(_ userData: UnsafeMutableRawPointer?) -> PendingRequest<Success>? {
    guard let userData else {
        assertionFailure("a pubnub-actions callback arrived without its user data")
        return nil
    }
    return Unmanaged<PendingRequest<Success>>.fromOpaque(userData).takeRetainedValue()
}

// MARK: - C callbacks
//
// They run on a library thread and copy everything out of the C pointers,
// which are valid only until they return.

func addCallback(
    userData: UnsafeMutableRawPointer?,
    status: UnsafePointer<pna_status_t>?,
    action: UnsafePointer<pna_action_t>?
) {
    guard let request: PendingRequest<MessageAction> = takeRequest(userData) else {
        return
    }
    guard let status else {
        request.completion(.failure(.internalError(nil)))
        return
    }
    let stored = action.map { MessageAction($0.pointee, channel: request.channel) }
    request.complete(status: RequestStatus(status.pointee), value: stored, action: stored)
}

func getCallback(
    userData: UnsafeMutableRawPointer?,
    status: UnsafePointer<pna_status_t>?,
    page: UnsafePointer<pna_actions_page_t>?
) {
    guard let request: PendingRequest<MessageActionsPage> = takeRequest(userData) else {
        return
    }
    guard let status else {
        request.completion(.failure(.internalError(nil)))
        return
    }
    let copied = page.map { MessageActionsPage($0.pointee, channel: request.channel) }
    request.complete(status: RequestStatus(status.pointee), value: copied)
}

func removeCallback(userData: UnsafeMutableRawPointer?, status: UnsafePointer<pna_status_t>?) {
    guard let request: PendingRequest<Void> = takeRequest(userData) else {
        return
    }
    guard let status else {
        request.completion(.failure(.internalError(nil)))
        return
    }
    request.complete(status: RequestStatus(status.pointee), value: ())
}

// MARK: - Task cancellation

/// The request id of an async call and whether its task was cancelled, for
/// the race between starting the C call and the task's cancellation handler.
final class CancellationState: @unchecked Sendable {
    // Both guarded by `lock`.
    private var requestId: UInt64?
    private var isCancelled = false
    private let lock = NSLock()

    /// Records the id of the started request. Returns true when the task was
    /// cancelled before the id was known, so the caller cancels it now.
    func requestStarted(_ id: UInt64) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        requestId = id
        return isCancelled
    }

    /// Records the cancellation. Returns the request id when the request has
    /// started, so the caller cancels it now.
    func taskCancelled() -> UInt64? {
        lock.lock()
        defer { lock.unlock() }
        isCancelled = true
        return requestId
    }
}
