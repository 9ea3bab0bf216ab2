import PubNubActions
import XCTest

/// Error replies of the emulator: 400, 403 and 409.
final class ServerErrorTests: XCTestCase {
    let channel = "chats.room1"

    private func assertStatus(
        _ status: RequestStatus?,
        code: PubNubActionsError.Code,
        category: StatusCategory,
        operation: OperationType,
        httpStatus: Int,
        serverMessage: String,
        origin: String,
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        guard let status else {
            return XCTFail("the error has no status", file: file, line: line)
        }
        XCTAssertEqual(status.code, code, file: file, line: line)
        XCTAssertEqual(status.category, category, file: file, line: line)
        XCTAssertEqual(status.operation, operation, file: file, line: line)
        XCTAssertEqual(status.httpStatus, httpStatus, file: file, line: line)
        XCTAssertEqual(status.serverMessage, serverMessage, file: file, line: line)
        XCTAssertEqual(
            status.message, "\(code.message) (HTTP \(httpStatus)): \(serverMessage)", file: file, line: line)
        XCTAssertEqual(status.origin, origin, file: file, line: line)
        XCTAssertEqual(status.channel, channel, file: file, line: line)
        XCTAssertFalse(status.isTLS, file: file, line: line)
        XCTAssertNotNil(status.requestId, file: file, line: line)
    }

    func testRemovingMissingActionIsBadRequest() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client, channel: channel)

        let error = await expectError {
            try await client.removeMessageAction(
                channel: channel, messageTimetoken: messageTimetoken, actionTimetoken: messageTimetoken + 1)
        }

        guard case .badRequest(let status) = error else {
            return XCTFail("expected badRequest, got \(String(describing: error))")
        }
        assertStatus(
            status, code: .badRequest, category: .badRequest, operation: .removeMessageAction, httpStatus: 400,
            serverMessage: "No matching message actions to delete", origin: emulator.origin)
        XCTAssertEqual(status.userId, TestKeys.userId)
        XCTAssertEqual(error?.code, .badRequest)
        XCTAssertEqual(error?.category, .badRequest)
        XCTAssertEqual(error?.httpStatus, 400)
        XCTAssertEqual(error?.serverMessage, "No matching message actions to delete")
        XCTAssertEqual(
            error?.message, "the server rejected the request as invalid (HTTP 400): No matching message actions to delete")
    }

    func testRemovingAnotherUsersActionIsBadRequest() async throws {
        let emulator = try startEmulator()
        let author = try makeClient(origin: emulator.origin, userId: "author")
        let other = try makeClient(origin: emulator.origin, userId: "someone-else")
        let messageTimetoken = try await publishMessage(author, channel: channel)
        let action = try await author.addMessageAction(
            channel: channel, type: "reaction", value: "heart", messageTimetoken: messageTimetoken)

        let error = await expectError {
            try await other.removeMessageAction(
                channel: channel, messageTimetoken: messageTimetoken, actionTimetoken: action.actionTimetoken)
        }
        let page = try await author.fetchMessageActions(channel: channel)

        guard case .badRequest(let status) = error else {
            return XCTFail("expected badRequest, got \(String(describing: error))")
        }
        assertStatus(
            status, code: .badRequest, category: .badRequest, operation: .removeMessageAction, httpStatus: 400,
            serverMessage: "Not deleting message action: wrong uuid specified", origin: emulator.origin)
        XCTAssertEqual(status.userId, "someone-else")
        XCTAssertEqual(page.actions, [action], "the action is still stored")
    }

    func testAddingSameActionTwiceIsConflict() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client, channel: channel)
        _ = try await client.addMessageAction(
            channel: channel, type: "reaction", value: "smiley_face", messageTimetoken: messageTimetoken)

        let error = await expectError {
            try await client.addMessageAction(
                channel: channel, type: "reaction", value: "smiley_face", messageTimetoken: messageTimetoken)
        }

        guard case .alreadyAdded(let status) = error else {
            return XCTFail("expected alreadyAdded, got \(String(describing: error))")
        }
        assertStatus(
            status, code: .alreadyAdded, category: .unknown, operation: .addMessageAction, httpStatus: 409,
            serverMessage: "Action Already Added", origin: emulator.origin)
        XCTAssertEqual(
            error?.message,
            "this user already added an action with this type and value to the message (HTTP 409): Action Already Added")
    }

    func testAddingWithoutWritePermissionIsAccessDenied() async throws {
        let emulator = try startEmulator(["--grant", "reader:*:r", "--grant", "writer:*:rw"])
        let writer = try makeClient(origin: emulator.origin, authKey: "writer")
        let reader = try makeClient(origin: emulator.origin, authKey: "reader")
        let messageTimetoken = try await publishMessage(writer, channel: channel)

        let error = await expectError {
            try await reader.addMessageAction(
                channel: channel, type: "reaction", value: "heart", messageTimetoken: messageTimetoken)
        }
        let page = try await reader.fetchMessageActions(channel: channel)

        guard case .accessDenied(let status) = error else {
            return XCTFail("expected accessDenied, got \(String(describing: error))")
        }
        assertStatus(
            status, code: .accessDenied, category: .accessDenied, operation: .addMessageAction, httpStatus: 403,
            serverMessage:
                "Supplied authorization key does not have the permissions required to perform this operation.",
            origin: emulator.origin)
        XCTAssertEqual(page.actions, [], "reading is granted and nothing was added")
    }

    func testFetchingWithUnknownAuthKeyIsAccessDenied() async throws {
        let emulator = try startEmulator(["--grant", "reader:*:r"])
        let stranger = try makeClient(origin: emulator.origin, authKey: "stranger")

        let error = await expectError { try await stranger.fetchMessageActions(channel: channel) }

        guard case .accessDenied(let status) = error else {
            return XCTFail("expected accessDenied, got \(String(describing: error))")
        }
        assertStatus(
            status, code: .accessDenied, category: .accessDenied, operation: .getMessageActions, httpStatus: 403,
            serverMessage:
                "Supplied authorization key does not have the permissions required to perform this operation.",
            origin: emulator.origin)
    }

    func testUnsignedRequestIsAccessDenied() async throws {
        let emulator = try startEmulator([
            "--secret-key", "sec-c-swift-tests", "--publish-key", TestKeys.publishKey,
        ])
        let unsigned = try makeClient(origin: emulator.origin)

        let error = await expectError { try await unsigned.fetchMessageActions(channel: channel) }

        guard case .accessDenied(let status) = error else {
            return XCTFail("expected accessDenied, got \(String(describing: error))")
        }
        // Without a secret key the client sends no timestamp, the first thing checked.
        assertStatus(
            status, code: .accessDenied, category: .accessDenied, operation: .getMessageActions, httpStatus: 403,
            serverMessage: "Invalid timestamp", origin: emulator.origin)
        XCTAssertEqual(
            status.serverDetails, #"[{"location":"timestamp","locationType":"query","message":"Missing field"}]"#)
    }

    func testWrongSecretKeyIsAccessDenied() async throws {
        let emulator = try startEmulator([
            "--secret-key", "sec-c-swift-tests", "--publish-key", TestKeys.publishKey,
        ])
        var configuration = localConfiguration(origin: emulator.origin)
        configuration.secretKey = "sec-c-wrong"
        let client = try PubNubActionsClient(configuration: configuration)

        let error = await expectError {
            try await client.addMessageAction(
                channel: channel, type: "reaction", value: "heart", messageTimetoken: 15_610_547_826_969_050)
        }

        guard case .accessDenied(let status) = error else {
            return XCTFail("expected accessDenied, got \(String(describing: error))")
        }
        assertStatus(
            status, code: .accessDenied, category: .accessDenied, operation: .addMessageAction, httpStatus: 403,
            serverMessage: "Invalid signature", origin: emulator.origin)
        XCTAssertEqual(
            status.serverDetails,
            #"[{"location":"signature","locationType":"query","#
                + #""message":"Client and server produced different signatures for the same inputs."}]"#)
    }
}
