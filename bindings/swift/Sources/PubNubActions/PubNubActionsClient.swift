import CPubNubActions
import Dispatch

/// A client for PubNub Message Actions: add an action to a published message,
/// list a channel's actions, and remove an action.
///
/// The client owns one handle of the C library and frees it when it is
/// released or when ``close()`` is called. It is safe to share across tasks
/// and threads, and requests from any number of them run concurrently on the
/// library's worker threads (``Configuration/workerCount``).
///
/// Every operation has an `async throws` form and a form with a completion
/// handler. Errors are always ``PubNubActionsError``. A completion handler runs
/// exactly once. It runs on a library worker thread when the request was
/// started. When the request was rejected before sending (an invalid argument,
/// a full queue, a closed client), it runs on the calling thread before the
/// method returns. Dispatch to your own queue from it when you need one.
///
/// A pending request does not keep the client alive: releasing or closing the
/// client completes it with ``PubNubActionsError/cancelled(_:)``.
public final class PubNubActionsClient: Sendable {
    /// The settings the client was created with.
    public let configuration: Configuration

    private let handle: NativeHandle

    /// Creates a client. Throws ``PubNubActionsError/invalidArgument(_:)`` or
    /// ``PubNubActionsError/invalidValue(argument:reason:)`` naming the first
    /// invalid setting.
    public init(configuration: Configuration) throws {
        try configuration.checkStrings()
        let numbers = try configuration.numericSettings()

        var pointer: OpaquePointer?
        let strings = [
            configuration.subscribeKey, configuration.publishKey, configuration.secretKey,
            configuration.authKey, configuration.userId, configuration.origin,
            configuration.certificateAuthorityFile,
        ]
        let returned = withCStrings(strings) { copies in
            var config = pna_config_t()
            pna_config_init(&config)
            config.subscribe_key = copies[0]
            config.publish_key = copies[1]
            config.secret_key = copies[2]
            config.auth_key = copies[3]
            config.user_id = copies[4]
            config.origin = copies[5]
            config.ca_file = copies[6]
            config.tls = configuration.useSecureConnections
            config.connect_timeout_ms = numbers.connectTimeoutMilliseconds
            config.request_timeout_ms = numbers.requestTimeoutMilliseconds
            config.worker_count = numbers.workerCount
            config.queue_capacity = numbers.queueCapacity
            return pna_client_new(&config, &pointer)
        }

        let code = PubNubActionsError.Code(rawValue: returned)
        guard code == .ok, let pointer else {
            throw PubNubActionsError(rejectedCall: code)
        }
        self.configuration = configuration
        self.handle = NativeHandle(pointer)
    }

    deinit {
        handle.free()
    }

    /// Frees the C client now instead of when the last reference goes away.
    ///
    /// Every request still pending completes with
    /// ``PubNubActionsError/cancelled(_:)`` before this returns (a request
    /// already sent may still take effect on the server), and later calls fail
    /// with ``PubNubActionsError/requestRejected(_:)`` and code
    /// ``PubNubActionsError/Code/clientClosed``. Waits for publish calls that
    /// are running. Calling it again does nothing. A request whose reply
    /// arrived just before may complete with that reply instead of
    /// `cancelled`, but always before this returns.
    public func close() {
        handle.free()
    }

    /// Version of the C library, such as "0.1.0".
    public static var libraryVersion: String {
        String(cString: pna_version())
    }

    // MARK: - Add

    /// Adds an action (`type`, `value`) to the message published at
    /// `messageTimetoken` on `channel` and returns the stored action.
    ///
    /// Throws ``PubNubActionsError/alreadyAdded(_:)`` when this user already
    /// added the same type and value, and
    /// ``PubNubActionsError/eventNotPublished(_:action:)`` (HTTP 207) when the
    /// action was stored but its event was not published.
    public func addMessageAction(
        channel: String,
        type: String,
        value: String,
        messageTimetoken: UInt64
    ) async throws -> MessageAction {
        try await perform { completion in
            startAdd(channel: channel, type: type, value: value, messageTimetoken: messageTimetoken, completion: completion)
        }
    }

    /// Adds an action and passes the stored action or the error to
    /// `completion`; see ``addMessageAction(channel:type:value:messageTimetoken:)``.
    public func addMessageAction(
        channel: String,
        type: String,
        value: String,
        messageTimetoken: UInt64,
        completion: @escaping @Sendable (Result<MessageAction, PubNubActionsError>) -> Void
    ) {
        _ = startAdd(channel: channel, type: type, value: value, messageTimetoken: messageTimetoken, completion: completion)
    }

    private func startAdd(
        channel: String,
        type: String,
        value: String,
        messageTimetoken: UInt64,
        completion: @escaping @Sendable (Result<MessageAction, PubNubActionsError>) -> Void
    ) -> UInt64? {
        do {
            try checkNoNUL(channel, argument: "channel")
            try checkNoNUL(type, argument: "type")
            try checkNoNUL(value, argument: "value")
        } catch {
            completion(.failure(error))
            return nil
        }

        return withCStrings([channel, type, value]) { strings in
            startRequest(on: handle, channel: channel, completion: completion) { client, userData, requestId in
                pna_add_message_action(
                    client, strings[0], messageTimetoken, strings[1], strings[2], addCallback, userData, requestId)
            }
        }
    }

    // MARK: - Fetch

    /// Lists actions on `channel`, oldest first: the newest `limit` actions
    /// whose timetoken is below `start` and at least `end`.
    ///
    /// - Parameters:
    ///   - start: Exclusive upper bound of the action timetokens; nil (or 0)
    ///     leaves it unset.
    ///   - end: Inclusive lower bound; nil (or 0) leaves it unset.
    ///   - limit: 1 to 100; nil means 100.
    /// - Returns: The page; its ``MessageActionsPage/next`` gives the bounds of
    ///   the next, older page when the service reports more.
    public func fetchMessageActions(
        channel: String,
        start: UInt64? = nil,
        end: UInt64? = nil,
        limit: Int? = nil
    ) async throws -> MessageActionsPage {
        try await perform { completion in
            startFetch(channel: channel, start: start, end: end, limit: limit, completion: completion)
        }
    }

    /// Lists the actions of the page `page`, such as the ``MessageActionsPage/next``
    /// of the previous page.
    public func fetchMessageActions(channel: String, page: BoundedPage) async throws -> MessageActionsPage {
        try await fetchMessageActions(channel: channel, start: page.start, end: page.end, limit: page.limit)
    }

    /// Lists actions and passes the page or the error to `completion`; see
    /// ``fetchMessageActions(channel:start:end:limit:)``.
    public func fetchMessageActions(
        channel: String,
        start: UInt64? = nil,
        end: UInt64? = nil,
        limit: Int? = nil,
        completion: @escaping @Sendable (Result<MessageActionsPage, PubNubActionsError>) -> Void
    ) {
        _ = startFetch(channel: channel, start: start, end: end, limit: limit, completion: completion)
    }

    private func startFetch(
        channel: String,
        start: UInt64?,
        end: UInt64?,
        limit: Int?,
        completion: @escaping @Sendable (Result<MessageActionsPage, PubNubActionsError>) -> Void
    ) -> UInt64? {
        let cLimit: UInt32
        do {
            try checkNoNUL(channel, argument: "channel")
            cLimit = try pageLimit(limit)
        } catch {
            completion(.failure(error))
            return nil
        }

        return withCStrings([channel]) { strings in
            startRequest(on: handle, channel: channel, completion: completion) { client, userData, requestId in
                pna_get_message_actions(
                    client, strings[0], start ?? 0, end ?? 0, cLimit, getCallback, userData, requestId)
            }
        }
    }

    // MARK: - Remove

    /// Removes the action added at `actionTimetoken` to the message published
    /// at `messageTimetoken` on `channel`. Only the action's publisher (the
    /// same user id) may remove it.
    ///
    /// Throws ``PubNubActionsError/badRequest(_:)`` when no such action exists
    /// or another user added it; ``PubNubActionsError/serverMessage`` gives the
    /// server's reason.
    public func removeMessageAction(
        channel: String,
        messageTimetoken: UInt64,
        actionTimetoken: UInt64
    ) async throws {
        try await perform { completion in
            startRemove(
                channel: channel, messageTimetoken: messageTimetoken, actionTimetoken: actionTimetoken,
                completion: completion)
        }
    }

    /// Removes an action and passes success or the error to `completion`; see
    /// ``removeMessageAction(channel:messageTimetoken:actionTimetoken:)``.
    public func removeMessageAction(
        channel: String,
        messageTimetoken: UInt64,
        actionTimetoken: UInt64,
        completion: @escaping @Sendable (Result<Void, PubNubActionsError>) -> Void
    ) {
        _ = startRemove(
            channel: channel, messageTimetoken: messageTimetoken, actionTimetoken: actionTimetoken,
            completion: completion)
    }

    private func startRemove(
        channel: String,
        messageTimetoken: UInt64,
        actionTimetoken: UInt64,
        completion: @escaping @Sendable (Result<Void, PubNubActionsError>) -> Void
    ) -> UInt64? {
        do {
            try checkNoNUL(channel, argument: "channel")
        } catch {
            completion(.failure(error))
            return nil
        }

        return withCStrings([channel]) { strings in
            startRequest(on: handle, channel: channel, completion: completion) { client, userData, requestId in
                pna_remove_message_action(
                    client, strings[0], messageTimetoken, actionTimetoken, removeCallback, userData, requestId)
            }
        }
    }

    // MARK: - Publish

    /// Publishes `messageJSON`, a JSON document such as `"\"hello\""` or
    /// `{"text":"hi"}`, to `channel` and returns the message's timetoken, to
    /// which actions can then be added. Needs ``Configuration/publishKey``.
    ///
    /// The C library publishes synchronously, so the call runs on a Dispatch
    /// worker thread and task cancellation does not interrupt it.
    public func publish(channel: String, messageJSON: String) async throws -> UInt64 {
        try checkNoNUL(channel, argument: "channel")
        try checkNoNUL(messageJSON, argument: "messageJSON")

        let handle = self.handle
        let result: Result<UInt64, PubNubActionsError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: publishNow(on: handle, channel: channel, messageJSON: messageJSON))
            }
        }
        return try result.get()
    }

    // MARK: - Async support

    /// Runs a request started by `start` and returns its result. Cancelling
    /// the task cancels the request, which then throws
    /// ``PubNubActionsError/cancelled(_:)``.
    private func perform<Success: Sendable>(
        _ start: (@escaping @Sendable (Result<Success, PubNubActionsError>) -> Void) -> UInt64?
    ) async throws -> Success {
        let cancellation = CancellationState()
        let result: Result<Success, PubNubActionsError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let requestId = start { result in
                    continuation.resume(returning: result)
                }
                if let requestId, cancellation.requestStarted(requestId) {
                    cancelRequest(requestId)
                }
            }
        } onCancel: {
            if let requestId = cancellation.taskCancelled() {
                cancelRequest(requestId)
            }
        }
        return try result.get()
    }

    /// Asks the C library to cancel a request. Its callback then runs with a
    /// cancelled status, unless the request already completed.
    private func cancelRequest(_ requestId: UInt64) {
        _ = handle.withPointer { pointer in
            pna_cancel(pointer, requestId)
        }
    }
}

/// Converts the optional page limit to the C API's value: nil becomes 0,
/// which the C API reads as 100. A limit below 1 is rejected here, because
/// the C API would read 0 as "use the default". Values above 100 go to the
/// C API, which rejects them with ``PubNubActionsError/Code/limitTooLarge``.
private func pageLimit(_ limit: Int?) throws(PubNubActionsError) -> UInt32 {
    guard let limit else {
        return 0
    }
    guard limit >= 1 else {
        throw .invalidValue(argument: "limit", reason: "is \(limit); pass 1 to 100, or nil for 100")
    }
    return UInt32(clamping: limit)
}

/// Publishes synchronously through the C library and copies the result.
private func publishNow(on handle: NativeHandle, channel: String, messageJSON: String) -> Result<UInt64, PubNubActionsError> {
    withCStrings([channel, messageJSON]) { strings in
        let outcome = handle.withPointer { pointer -> Result<UInt64, PubNubActionsError> in
            var out: UnsafeMutablePointer<pna_publish_result_t>?
            let code = PubNubActionsError.Code(rawValue: pna_publish_sync(pointer, strings[0], strings[1], &out))
            guard let out else {
                return .failure(PubNubActionsError(rejectedCall: code))
            }
            defer { pna_publish_result_free(out) }

            let status = RequestStatus(out.pointee.status)
            if status.code == .ok {
                return .success(out.pointee.timetoken)
            }
            return .failure(PubNubActionsError(status: status))
        }
        return outcome ?? .failure(.requestRejected(.clientClosed))
    }
}
