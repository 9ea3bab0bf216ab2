import PubNubActions
import XCTest

/// Each operation through async/await against the emulator.
final class AsyncOperationTests: XCTestCase {
    let channel = "chats.room1"

    func testPublishReturnsIncreasingTimetokens() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin)

        let first = try await client.publish(channel: channel, messageJSON: #""hello""#)
        let second = try await client.publish(channel: channel, messageJSON: #"{"text":"hi"}"#)

        XCTAssertGreaterThan(first, 10_000_000_000_000_000, "a timetoken has 17 digits")
        XCTAssertGreaterThan(second, first)
    }

    func testAddMessageActionReturnsStoredAction() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client, channel: channel)

        let action = try await client.addMessageAction(
            channel: channel, type: "reaction", value: "smiley_face", messageTimetoken: messageTimetoken)

        XCTAssertEqual(action.actionType, "reaction")
        XCTAssertEqual(action.actionValue, "smiley_face")
        XCTAssertEqual(action.messageTimetoken, messageTimetoken)
        XCTAssertEqual(action.publisher, TestKeys.userId)
        XCTAssertEqual(action.channel, channel)
        // The emulator takes both timetokens from one increasing clock.
        XCTAssertGreaterThan(action.actionTimetoken, messageTimetoken)
    }

    func testFetchMessageActionsReturnsActionsOldestFirst() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client, channel: channel)
        var added: [MessageAction] = []
        for value in ["smiley_face", "thumbs_up", "heart"] {
            added.append(
                try await client.addMessageAction(
                    channel: channel, type: "reaction", value: value, messageTimetoken: messageTimetoken))
        }

        let page = try await client.fetchMessageActions(channel: channel)

        XCTAssertEqual(page.actions, added)
        XCTAssertNil(page.next)
    }

    func testFetchMessageActionsAppliesStartEndAndLimit() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client, channel: channel)
        var added: [MessageAction] = []
        for index in 0..<5 {
            added.append(
                try await client.addMessageAction(
                    channel: channel, type: "reaction", value: "value-\(index)", messageTimetoken: messageTimetoken))
        }

        let newestTwo = try await client.fetchMessageActions(channel: channel, limit: 2)
        let belowFourth = try await client.fetchMessageActions(
            channel: channel, start: added[3].actionTimetoken, end: added[1].actionTimetoken)

        XCTAssertEqual(newestTwo.actions, [added[3], added[4]])
        XCTAssertEqual(belowFourth.actions, [added[1], added[2]], "start is exclusive and end inclusive")
    }

    func testFetchMessageActionsPagesThroughNext() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client, channel: channel)
        var added: [MessageAction] = []
        for index in 0..<5 {
            added.append(
                try await client.addMessageAction(
                    channel: channel, type: "reaction", value: "value-\(index)", messageTimetoken: messageTimetoken))
        }

        let first = try await client.fetchMessageActions(channel: channel, limit: 2)
        let firstNext = try XCTUnwrap(first.next)
        let second = try await client.fetchMessageActions(channel: channel, page: firstNext)
        let secondNext = try XCTUnwrap(second.next)
        let third = try await client.fetchMessageActions(channel: channel, page: secondNext)

        XCTAssertEqual(first.actions, [added[3], added[4]])
        XCTAssertEqual(firstNext, BoundedPage(start: added[3].actionTimetoken, end: nil, limit: 2))
        XCTAssertEqual(second.actions, [added[1], added[2]])
        XCTAssertEqual(secondNext, BoundedPage(start: added[1].actionTimetoken, end: nil, limit: 2))
        XCTAssertEqual(third.actions, [added[0]])
        XCTAssertNil(third.next, "a page that is not full is the last one")
    }

    func testFetchMessageActionsOnEmptyChannel() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin)

        let page = try await client.fetchMessageActions(channel: "chats.empty")

        XCTAssertEqual(page.actions, [])
        XCTAssertNil(page.next)
    }

    func testRemoveMessageActionDeletesAction() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client, channel: channel)
        let remaining = try await client.addMessageAction(
            channel: channel, type: "reaction", value: "heart", messageTimetoken: messageTimetoken)
        let removed = try await client.addMessageAction(
            channel: channel, type: "reaction", value: "smiley_face", messageTimetoken: messageTimetoken)

        try await client.removeMessageAction(
            channel: channel, messageTimetoken: messageTimetoken, actionTimetoken: removed.actionTimetoken)
        let page = try await client.fetchMessageActions(channel: channel)

        XCTAssertEqual(page.actions, [remaining])
    }

    func testNonASCIIStringsRoundTrip() async throws {
        let emulator = try startEmulator()
        let client = try makeClient(origin: emulator.origin, userId: "usér 1/ü")
        let unusualChannel = "chats/room 1?ü&x=%20"
        let messageTimetoken = try await publishMessage(client, channel: unusualChannel)

        let action = try await client.addMessageAction(
            channel: unusualChannel, type: "réaction", value: "👍 & 100%", messageTimetoken: messageTimetoken)
        let page = try await client.fetchMessageActions(channel: unusualChannel)

        XCTAssertEqual(action.actionType, "réaction")
        XCTAssertEqual(action.actionValue, "👍 & 100%")
        XCTAssertEqual(action.publisher, "usér 1/ü")
        XCTAssertEqual(page.actions, [action])
    }

    func testSignedRequestsSucceedWithSecretKey() async throws {
        let emulator = try startEmulator([
            "--secret-key", "sec-c-swift-tests", "--publish-key", TestKeys.publishKey,
        ])
        var configuration = localConfiguration(origin: emulator.origin)
        configuration.secretKey = "sec-c-swift-tests"
        let client = try PubNubActionsClient(configuration: configuration)
        let messageTimetoken = try await publishMessage(client, channel: channel)

        let action = try await client.addMessageAction(
            channel: channel, type: "reaction", value: "signed", messageTimetoken: messageTimetoken)
        let page = try await client.fetchMessageActions(channel: channel)
        try await client.removeMessageAction(
            channel: channel, messageTimetoken: messageTimetoken, actionTimetoken: action.actionTimetoken)

        XCTAssertEqual(page.actions, [action])
    }

    func testLibraryVersionIsSemanticVersion() {
        let parts = PubNubActionsClient.libraryVersion.split(separator: ".")

        XCTAssertEqual(parts.count, 3)
        XCTAssertTrue(parts.allSatisfy { UInt($0) != nil }, PubNubActionsClient.libraryVersion)
    }
}
