import Foundation
import PubNubActions
import XCTest

/// Keys and user id of the tests. The emulator accepts any key unless started
/// with key options.
enum TestKeys {
    static let subscribeKey = "sub-c-swift-tests"
    static let publishKey = "pub-c-swift-tests"
    static let userId = "swift-user-1"
}

extension XCTestCase {
    /// Starts an emulator that is stopped when the test ends.
    func startEmulator(_ arguments: [String] = []) throws -> Emulator {
        let emulator = try Emulator(arguments: arguments)
        addTeardownBlock {
            emulator.stop()
        }
        return emulator
    }

    /// Starts a stub server that is stopped when the test ends.
    func startStubServer(_ behavior: StubServer.Behavior) throws -> StubServer {
        let server = try StubServer(behavior)
        addTeardownBlock {
            server.stop()
        }
        return server
    }

    /// Returns a configuration for a local server over plain HTTP.
    func localConfiguration(
        origin: String,
        userId: String = TestKeys.userId,
        authKey: String? = nil
    ) -> Configuration {
        Configuration(
            subscribeKey: TestKeys.subscribeKey,
            publishKey: TestKeys.publishKey,
            authKey: authKey,
            userId: userId,
            origin: origin,
            useSecureConnections: false
        )
    }

    func makeClient(
        origin: String,
        userId: String = TestKeys.userId,
        authKey: String? = nil
    ) throws -> PubNubActionsClient {
        try PubNubActionsClient(configuration: localConfiguration(origin: origin, userId: userId, authKey: authKey))
    }

    /// Publishes a message and returns its timetoken, for actions to attach to.
    func publishMessage(_ client: PubNubActionsClient, channel: String) async throws -> UInt64 {
        try await client.publish(channel: channel, messageJSON: #"{"text":"hello"}"#)
    }
}

/// Runs `body`, which must throw, and returns the PubNubActionsError it threw.
/// Records a failure when it returns or throws another error type.
func expectError<Value>(
    file: StaticString = #filePath,
    line: UInt = #line,
    _ body: () async throws -> Value
) async -> PubNubActionsError? {
    do {
        let value = try await body()
        XCTFail("expected a PubNubActionsError, got \(value)", file: file, line: line)
        return nil
    } catch let error as PubNubActionsError {
        return error
    } catch {
        XCTFail("expected a PubNubActionsError, got \(type(of: error)): \(error)", file: file, line: line)
        return nil
    }
}

/// Counts how often each completion handler runs and keeps its results.
final class CompletionRecorder<Success: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var results: [Int: [Result<Success, PubNubActionsError>]] = [:]
    private var threads: [Int: Bool] = [:]

    /// Returns the completion handler for request `index`.
    func handler(_ index: Int) -> @Sendable (Result<Success, PubNubActionsError>) -> Void {
        { [self] result in
            let isMainThread = Thread.isMainThread
            lock.lock()
            results[index, default: []].append(result)
            threads[index] = isMainThread
            lock.unlock()
        }
    }

    /// Number of times the handler of request `index` has run.
    func callCount(_ index: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return results[index]?.count ?? 0
    }

    /// The first result of request `index`, if its handler has run.
    func result(_ index: Int) -> Result<Success, PubNubActionsError>? {
        lock.lock()
        defer { lock.unlock() }
        return results[index]?.first
    }

    /// Whether the handler of request `index` ran on the main thread.
    func ranOnMainThread(_ index: Int) -> Bool? {
        lock.lock()
        defer { lock.unlock() }
        return threads[index]
    }
}

/// Calls an operation's completion-handler form and waits for its result
/// without a time limit; a handler that ran twice would trap the continuation.
func completionResult<Success: Sendable>(
    _ start: (@escaping @Sendable (Result<Success, PubNubActionsError>) -> Void) -> Void
) async -> Result<Success, PubNubActionsError> {
    await withCheckedContinuation { continuation in
        start { result in
            continuation.resume(returning: result)
        }
    }
}

extension Result {
    /// The failure, or nil on success.
    var failure: Failure? {
        if case .failure(let error) = self {
            return error
        }
        return nil
    }
}
