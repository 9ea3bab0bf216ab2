import PubNubActions
import XCTest

/// One client shared by many tasks, and requests in flight when the client
/// goes away or their task is cancelled.
final class ConcurrencyTests: XCTestCase {
    let channel = "chats.room1"
    let closedMessage =
        "the request was cancelled: the client was closed before the request completed; "
        + "if the request was already sent, the server may still apply it"

    func testHundredConcurrentTasksShareOneClient() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client, channel: channel)
        let channel = self.channel

        let added = try await withThrowingTaskGroup(of: MessageAction.self) { group in
            for index in 0..<100 {
                group.addTask {
                    try await client.addMessageAction(
                        channel: channel, type: "vote", value: "option-\(index)",
                        messageTimetoken: messageTimetoken)
                }
            }
            var actions: [MessageAction] = []
            for try await action in group {
                actions.append(action)
            }
            return actions
        }
        let page = try await client.fetchMessageActions(channel: channel, limit: 100)

        XCTAssertEqual(added.count, 100)
        XCTAssertEqual(Set(added.map(\.actionValue)), Set((0..<100).map { "option-\($0)" }))
        XCTAssertEqual(Set(added.map(\.actionTimetoken)).count, 100, "every action has its own timetoken")
        XCTAssertEqual(page.actions, added.sorted { $0.actionTimetoken < $1.actionTimetoken })
    }

    func testReleasingClientCancelsPendingCompletions() throws {
        let server = try startStubServer(.holdOpen)
        var configuration = localConfiguration(origin: server.origin)
        configuration.workerCount = 2
        var client: PubNubActionsClient? = try PubNubActionsClient(configuration: configuration)
        let recorder = CompletionRecorder<MessageAction>()

        // The server never replies, so no request can complete before the release.
        for index in 0..<10 {
            client?.addMessageAction(
                channel: channel, type: "reaction", value: "value-\(index)", messageTimetoken: 1,
                completion: recorder.handler(index))
        }
        client = nil

        // pna_client_free returns after every callback has returned.
        for index in 0..<10 {
            XCTAssertEqual(recorder.callCount(index), 1, "request \(index)")
            guard case .cancelled(let status) = recorder.result(index)?.failure else {
                XCTFail("request \(index): expected cancelled, got \(String(describing: recorder.result(index)))")
                continue
            }
            XCTAssertEqual(status.code, .cancelled)
            XCTAssertEqual(status.category, .cancelled)
            XCTAssertEqual(status.operation, .addMessageAction)
            XCTAssertEqual(status.channel, channel)
            XCTAssertNil(status.httpStatus)
            XCTAssertEqual(status.message, closedMessage)
        }
    }

    func testReleasingClientCompletesEmulatorRequestsOnce() async throws {
        let emulator = try startEmulator()
        var client: PubNubActionsClient? = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client!, channel: channel)
        let recorder = CompletionRecorder<MessageAction>()

        for index in 0..<20 {
            client?.addMessageAction(
                channel: channel, type: "reaction", value: "value-\(index)", messageTimetoken: messageTimetoken,
                completion: recorder.handler(index))
        }
        client = nil

        // Each request either completed before the release or was cancelled by it.
        for index in 0..<20 {
            XCTAssertEqual(recorder.callCount(index), 1, "request \(index)")
            switch recorder.result(index) {
            case .success(let action):
                XCTAssertEqual(action.actionValue, "value-\(index)")
            case .failure(.cancelled(let status)):
                XCTAssertEqual(status.message, closedMessage)
            case let other:
                XCTFail("request \(index): expected success or cancelled, got \(String(describing: other))")
            }
        }
    }

    func testClosingClientResumesPendingAsyncCalls() async throws {
        let server = try startStubServer(.holdOpen)
        var configuration = localConfiguration(origin: server.origin)
        configuration.workerCount = 3
        let client = try PubNubActionsClient(configuration: configuration)
        let channel = self.channel

        let add = Task {
            try await client.addMessageAction(channel: channel, type: "reaction", value: "heart", messageTimetoken: 1)
        }
        let fetch = Task { try await client.fetchMessageActions(channel: channel) }
        let remove = Task {
            try await client.removeMessageAction(channel: channel, messageTimetoken: 1, actionTimetoken: 2)
        }
        // Three workers take the three requests, and the server never replies.
        XCTAssertTrue(server.waitForRequests(3), "the three requests reached the server")
        client.close()

        let errors = [
            await expectError { try await add.value },
            await expectError { try await fetch.value },
            await expectError { try await remove.value },
        ]
        let operations: [OperationType] = [.addMessageAction, .getMessageActions, .removeMessageAction]
        for (error, operation) in zip(errors, operations) {
            guard case .cancelled(let status) = error else {
                XCTFail("\(operation): expected cancelled, got \(String(describing: error))")
                continue
            }
            XCTAssertEqual(status.operation, operation)
            XCTAssertEqual(status.category, .cancelled)
            XCTAssertEqual(status.message, closedMessage)
        }
    }

    func testCancellingTaskCancelsRequest() async throws {
        let server = try startStubServer(.holdOpen)
        let client = try makeClient(origin: server.origin)
        let channel = self.channel

        let task = Task { try await client.fetchMessageActions(channel: channel) }
        XCTAssertTrue(server.waitForRequests(1), "the request reached the server")
        task.cancel()
        let error = await expectError { try await task.value }

        guard case .cancelled(let status) = error else {
            return XCTFail("expected cancelled, got \(String(describing: error))")
        }
        XCTAssertEqual(status.code, .cancelled)
        XCTAssertEqual(status.category, .cancelled)
        XCTAssertEqual(
            status.message,
            "the request was cancelled: cancelled by request id before the reply was processed; "
                + "if the request was already sent, the server may still apply it")
    }

    func testTaskCancelledBeforeCallCancelsRequest() async throws {
        let server = try startStubServer(.holdOpen)
        let client = try makeClient(origin: server.origin)
        let channel = self.channel

        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.addMessageAction(
                channel: channel, type: "reaction", value: "heart", messageTimetoken: 1)
        }
        let error = await expectError { try await task.value }

        guard case .cancelled(let status) = error else {
            return XCTFail("expected cancelled, got \(String(describing: error))")
        }
        XCTAssertEqual(status.operation, .addMessageAction)
        XCTAssertEqual(status.category, .cancelled)
    }
}
