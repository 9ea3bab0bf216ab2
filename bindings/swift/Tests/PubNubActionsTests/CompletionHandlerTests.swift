import PubNubActions
import XCTest

/// Each operation through its completion-handler form against the emulator.
final class CompletionHandlerTests: XCTestCase {
    let channel = "chats.room1"

    func testAddMessageActionPassesStoredAction() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client, channel: channel)

        let result = await completionResult { completion in
            client.addMessageAction(
                channel: channel, type: "reaction", value: "smiley_face", messageTimetoken: messageTimetoken,
                completion: completion)
        }

        let action = try result.get()
        XCTAssertEqual(action.actionType, "reaction")
        XCTAssertEqual(action.actionValue, "smiley_face")
        XCTAssertEqual(action.messageTimetoken, messageTimetoken)
        XCTAssertEqual(action.publisher, TestKeys.userId)
        XCTAssertEqual(action.channel, channel)
    }

    func testFetchMessageActionsPassesPage() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client, channel: channel)
        let first = try await client.addMessageAction(
            channel: channel, type: "reaction", value: "heart", messageTimetoken: messageTimetoken)
        let second = try await client.addMessageAction(
            channel: channel, type: "reaction", value: "thumbs_up", messageTimetoken: messageTimetoken)

        let result = await completionResult { completion in
            client.fetchMessageActions(channel: channel, limit: 1, completion: completion)
        }

        let page = try result.get()
        XCTAssertEqual(page.actions, [second])
        XCTAssertEqual(page.next, BoundedPage(start: second.actionTimetoken, end: nil, limit: 1))
        XCTAssertLessThan(first.actionTimetoken, second.actionTimetoken)
    }

    func testRemoveMessageActionPassesSuccess() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client, channel: channel)
        let action = try await client.addMessageAction(
            channel: channel, type: "reaction", value: "heart", messageTimetoken: messageTimetoken)

        let result = await completionResult { completion in
            client.removeMessageAction(
                channel: channel, messageTimetoken: messageTimetoken, actionTimetoken: action.actionTimetoken,
                completion: completion)
        }

        XCTAssertNoThrow(try result.get())
        let page = try await client.fetchMessageActions(channel: channel)
        XCTAssertEqual(page.actions, [])
    }

    func testCompletionPassesServerError() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client, channel: channel)
        _ = try await client.addMessageAction(
            channel: channel, type: "reaction", value: "heart", messageTimetoken: messageTimetoken)

        let result = await completionResult { completion in
            client.addMessageAction(
                channel: channel, type: "reaction", value: "heart", messageTimetoken: messageTimetoken,
                completion: completion)
        }

        let error = try XCTUnwrap(result.failure)
        guard case .alreadyAdded(let status) = error else {
            return XCTFail("expected alreadyAdded, got \(error)")
        }
        XCTAssertEqual(status.httpStatus, 409)
        XCTAssertEqual(status.serverMessage, "Action Already Added")
    }

    func testCompletionRunsOnLibraryThread() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin)
        let recorder = CompletionRecorder<MessageActionsPage>()

        let result = await completionResult { completion in
            client.fetchMessageActions(channel: channel) { result in
                recorder.handler(0)(result)
                completion(result)
            }
        }

        XCTAssertNoThrow(try result.get())
        XCTAssertEqual(recorder.ranOnMainThread(0), false)
    }

    func testRejectedCallCompletesBeforeReturning() throws {
        let client = try makeClient(origin: "127.0.0.1:9")
        let recorder = CompletionRecorder<MessageAction>()

        client.addMessageAction(
            channel: "", type: "reaction", value: "heart", messageTimetoken: 1, completion: recorder.handler(0))

        XCTAssertEqual(recorder.callCount(0), 1, "the completion ran before the call returned")
        XCTAssertEqual(recorder.result(0)?.failure, .invalidArgument(.channelEmpty))
    }
}
