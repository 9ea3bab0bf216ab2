import PubNubActions
import XCTest

/// Arguments and settings rejected before anything is sent. The stub server
/// counts requests, so each test also proves that nothing reached it.
final class ValidationErrorTests: XCTestCase {
    let channel = "chats.room1"
    let nulReason = "contains a NUL character, which a C string cannot carry"

    private func assertInvalidArgument(
        _ error: PubNubActionsError?,
        _ code: PubNubActionsError.Code,
        message: String,
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        XCTAssertEqual(error, .invalidArgument(code), file: file, line: line)
        XCTAssertEqual(error?.code, code, file: file, line: line)
        XCTAssertEqual(error?.message, message, file: file, line: line)
        XCTAssertNil(error?.status, file: file, line: line)
        XCTAssertNil(error?.category, file: file, line: line)
        XCTAssertNil(error?.httpStatus, file: file, line: line)
    }

    func testAddRejectsInvalidArguments() async throws {
        let server = try startStubServer(.reply(status: 200, body: "{}"))
        let client = try makeClient(origin: server.origin)

        let emptyChannel = await expectError {
            try await client.addMessageAction(channel: "", type: "reaction", value: "heart", messageTimetoken: 1)
        }
        let emptyType = await expectError {
            try await client.addMessageAction(channel: channel, type: "", value: "heart", messageTimetoken: 1)
        }
        let emptyValue = await expectError {
            try await client.addMessageAction(channel: channel, type: "reaction", value: "", messageTimetoken: 1)
        }
        let zeroTimetoken = await expectError {
            try await client.addMessageAction(channel: channel, type: "reaction", value: "heart", messageTimetoken: 0)
        }

        assertInvalidArgument(emptyChannel, .channelEmpty, message: "invalid argument: channel is empty")
        assertInvalidArgument(emptyType, .typeEmpty, message: "invalid argument: type is empty")
        assertInvalidArgument(emptyValue, .valueEmpty, message: "invalid argument: value is empty")
        assertInvalidArgument(
            zeroTimetoken, .messageTimetokenZero,
            message:
                "invalid argument: message_timetoken is 0 or not set; pass the timetoken that publish returned for the message")
        XCTAssertEqual(server.receivedRequestLines, [])
    }

    func testAddRejectsNULCharacters() async throws {
        let server = try startStubServer(.reply(status: 200, body: "{}"))
        let client = try makeClient(origin: server.origin)

        let inChannel = await expectError {
            try await client.addMessageAction(channel: "a\0b", type: "reaction", value: "heart", messageTimetoken: 1)
        }
        let inType = await expectError {
            try await client.addMessageAction(channel: channel, type: "re\0", value: "heart", messageTimetoken: 1)
        }
        let inValue = await expectError {
            try await client.addMessageAction(channel: channel, type: "reaction", value: "\0", messageTimetoken: 1)
        }

        XCTAssertEqual(inChannel, .invalidValue(argument: "channel", reason: nulReason))
        XCTAssertEqual(inType, .invalidValue(argument: "type", reason: nulReason))
        XCTAssertEqual(inValue, .invalidValue(argument: "value", reason: nulReason))
        XCTAssertEqual(inChannel?.message, "invalid argument: channel \(nulReason)")
        XCTAssertNil(inChannel?.code)
        XCTAssertNil(inChannel?.status)
        XCTAssertEqual(server.receivedRequestLines, [])
    }

    func testFetchRejectsInvalidArguments() async throws {
        let server = try startStubServer(.reply(status: 200, body: "{}"))
        let client = try makeClient(origin: server.origin)

        let emptyChannel = await expectError { try await client.fetchMessageActions(channel: "") }
        let limitTooLarge = await expectError { try await client.fetchMessageActions(channel: channel, limit: 101) }
        let limitHuge = await expectError { try await client.fetchMessageActions(channel: channel, limit: Int.max) }
        let limitZero = await expectError { try await client.fetchMessageActions(channel: channel, limit: 0) }
        let limitNegative = await expectError { try await client.fetchMessageActions(channel: channel, limit: -5) }
        let emptyRange = await expectError {
            try await client.fetchMessageActions(channel: channel, start: 100, end: 100)
        }
        let nulChannel = await expectError { try await client.fetchMessageActions(channel: "\0") }

        assertInvalidArgument(emptyChannel, .channelEmpty, message: "invalid argument: channel is empty")
        let tooLargeMessage =
            "invalid argument: limit is above 100, the maximum number of actions per page; pass 1 to 100, or 0 for 100"
        assertInvalidArgument(limitTooLarge, .limitTooLarge, message: tooLargeMessage)
        assertInvalidArgument(limitHuge, .limitTooLarge, message: tooLargeMessage)
        XCTAssertEqual(limitZero, .invalidValue(argument: "limit", reason: "is 0; pass 1 to 100, or nil for 100"))
        XCTAssertEqual(limitZero?.message, "invalid argument: limit is 0; pass 1 to 100, or nil for 100")
        XCTAssertEqual(limitNegative, .invalidValue(argument: "limit", reason: "is -5; pass 1 to 100, or nil for 100"))
        assertInvalidArgument(
            emptyRange, .rangeEmpty,
            message:
                "invalid argument: end is not below start; start is exclusive and end inclusive, so end must be lower than start"
        )
        XCTAssertEqual(nulChannel, .invalidValue(argument: "channel", reason: nulReason))
        XCTAssertEqual(server.receivedRequestLines, [])
    }

    func testRemoveRejectsInvalidArguments() async throws {
        let server = try startStubServer(.reply(status: 200, body: "{}"))
        let client = try makeClient(origin: server.origin)

        let emptyChannel = await expectError {
            try await client.removeMessageAction(channel: "", messageTimetoken: 1, actionTimetoken: 2)
        }
        let zeroMessage = await expectError {
            try await client.removeMessageAction(channel: channel, messageTimetoken: 0, actionTimetoken: 2)
        }
        let zeroAction = await expectError {
            try await client.removeMessageAction(channel: channel, messageTimetoken: 1, actionTimetoken: 0)
        }
        let nulChannel = await expectError {
            try await client.removeMessageAction(channel: "x\0", messageTimetoken: 1, actionTimetoken: 2)
        }

        assertInvalidArgument(emptyChannel, .channelEmpty, message: "invalid argument: channel is empty")
        assertInvalidArgument(
            zeroMessage, .messageTimetokenZero,
            message:
                "invalid argument: message_timetoken is 0 or not set; pass the timetoken that publish returned for the message")
        assertInvalidArgument(
            zeroAction, .actionTimetokenZero,
            message: "invalid argument: action_timetoken is 0 or not set; pass the action_timetoken that add or get returned")
        XCTAssertEqual(nulChannel, .invalidValue(argument: "channel", reason: nulReason))
        XCTAssertEqual(server.receivedRequestLines, [])
    }

    func testPublishRejectsInvalidArguments() async throws {
        let server = try startStubServer(.reply(status: 200, body: "{}"))
        let client = try makeClient(origin: server.origin)
        var withoutPublishKey = localConfiguration(origin: server.origin)
        withoutPublishKey.publishKey = nil
        let subscribeOnly = try PubNubActionsClient(configuration: withoutPublishKey)

        let notJSON = await expectError { try await client.publish(channel: channel, messageJSON: "hello") }
        let empty = await expectError { try await client.publish(channel: channel, messageJSON: "") }
        let emptyChannel = await expectError { try await client.publish(channel: "", messageJSON: "1") }
        let nulMessage = await expectError { try await client.publish(channel: channel, messageJSON: "\"\0\"") }
        let noPublishKey = await expectError { try await subscribeOnly.publish(channel: channel, messageJSON: "1") }

        assertInvalidArgument(
            notJSON, .messageNotJSON,
            message:
                #"invalid argument: message is not valid JSON (publish takes a JSON document, for example "\"hello\"" for a string)"#
        )
        assertInvalidArgument(empty, .messageEmpty, message: "invalid argument: message is empty")
        assertInvalidArgument(emptyChannel, .channelEmpty, message: "invalid argument: channel is empty")
        XCTAssertEqual(nulMessage, .invalidValue(argument: "messageJSON", reason: nulReason))
        assertInvalidArgument(
            noPublishKey, .publishKeyMissing,
            message: "invalid argument: publish_key is not set; publishing needs the publish key of the key set")
        XCTAssertEqual(server.receivedRequestLines, [])
    }

    func testConfigurationRejectsInvalidSettings() {
        let valid = localConfiguration(origin: "127.0.0.1:9")
        let originMessage =
            "set the host (and optional port) of the service, for example the emulator's 127.0.0.1:PORT"
        let timeoutMessage =
            "invalid argument: connect_timeout and request_timeout must be between 1 ms and 3600000 ms (one hour)"
        let cases: [(String, (inout Configuration) -> Void, PubNubActionsError, String)] = [
            ("empty subscribe key", { $0.subscribeKey = "" }, .invalidArgument(.subscribeKeyEmpty),
             "invalid argument: subscribe_key is empty"),
            ("empty user id", { $0.userId = "" }, .invalidArgument(.userIdEmpty), "invalid argument: user_id is empty"),
            ("long user id", { $0.userId = String(repeating: "u", count: 93) }, .invalidArgument(.userIdTooLong),
             "invalid argument: user_id is longer than 92 bytes, the service maximum"),
            ("empty origin", { $0.origin = "" }, .invalidArgument(.originEmpty),
             "invalid argument: origin is empty; \(originMessage)"),
            ("origin with scheme", { $0.origin = "http://127.0.0.1:9" }, .invalidArgument(.originInvalid),
             "invalid argument: origin must be a host or host:port without scheme, path, spaces or user info"),
            ("secret without publish key", { $0.secretKey = "sec"; $0.publishKey = nil },
             .invalidArgument(.secretKeyWithoutPublishKey),
             "invalid argument: secret_key is set but publish_key is not; request signatures need both"),
            ("missing CA file", { $0.certificateAuthorityFile = "/nonexistent/ca.pem" },
             .invalidArgument(.caFileInvalid),
             "invalid argument: ca_file could not be read or contains no PEM certificate"),
            ("zero workers", { $0.workerCount = 0 }, .invalidArgument(.workerCountInvalid),
             "invalid argument: worker_count must be between 1 and 256"),
            ("too many workers", { $0.workerCount = 257 }, .invalidArgument(.workerCountInvalid),
             "invalid argument: worker_count must be between 1 and 256"),
            ("negative workers", { $0.workerCount = -1 }, .invalidArgument(.workerCountInvalid),
             "invalid argument: worker_count must be between 1 and 256"),
            ("zero queue capacity", { $0.queueCapacity = 0 }, .invalidArgument(.queueCapacityInvalid),
             "invalid argument: queue_capacity must be between 1 and 1000000"),
            ("huge queue capacity", { $0.queueCapacity = 1_000_001 }, .invalidArgument(.queueCapacityInvalid),
             "invalid argument: queue_capacity must be between 1 and 1000000"),
            ("zero connect timeout", { $0.connectTimeout = 0 }, .invalidArgument(.timeoutInvalid), timeoutMessage),
            ("sub-millisecond timeout", { $0.requestTimeout = 0.0004 }, .invalidArgument(.timeoutInvalid),
             timeoutMessage),
            ("negative timeout", { $0.requestTimeout = -1 }, .invalidArgument(.timeoutInvalid), timeoutMessage),
            ("NaN timeout", { $0.requestTimeout = .nan }, .invalidArgument(.timeoutInvalid), timeoutMessage),
            ("timeout over an hour", { $0.connectTimeout = 3601 }, .invalidArgument(.timeoutInvalid), timeoutMessage),
            ("NUL in auth key", { $0.authKey = "a\0" },
             .invalidValue(argument: "authKey", reason: nulReason), "invalid argument: authKey \(nulReason)"),
            ("NUL in origin", { $0.origin = "127.0.0.1\0:9" },
             .invalidValue(argument: "origin", reason: nulReason), "invalid argument: origin \(nulReason)"),
        ]

        for (name, change, expected, message) in cases {
            var configuration = valid
            change(&configuration)
            XCTAssertThrowsError(try PubNubActionsClient(configuration: configuration), name) { error in
                XCTAssertEqual(error as? PubNubActionsError, expected, name)
                XCTAssertEqual((error as? PubNubActionsError)?.message, message, name)
            }
        }
    }

    func testConfigurationDescriptionRedactsSecrets() {
        var configuration = localConfiguration(origin: "127.0.0.1:9", authKey: "auth-secret-value")
        configuration.secretKey = "sec-secret-value"

        let texts = [
            configuration.description, String(describing: configuration), String(reflecting: configuration),
            { var dumped = ""; dump(configuration, to: &dumped); return dumped }(),
        ]

        for text in texts {
            XCTAssertFalse(text.contains("secret-value"), text)
            XCTAssertTrue(text.contains("secretKey: <redacted>"), text)
            XCTAssertTrue(text.contains("authKey: <redacted>"), text)
            XCTAssertTrue(text.contains("subscribeKey: \(TestKeys.subscribeKey)"), text)
        }
    }

    func testClosedClientRejectsRequests() async throws {
        let server = try startStubServer(.reply(status: 200, body: "{}"))
        let client = try makeClient(origin: server.origin)
        client.close()
        client.close()

        let add = await expectError {
            try await client.addMessageAction(channel: channel, type: "reaction", value: "heart", messageTimetoken: 1)
        }
        let fetch = await expectError { try await client.fetchMessageActions(channel: channel) }
        let remove = await expectError {
            try await client.removeMessageAction(channel: channel, messageTimetoken: 1, actionTimetoken: 2)
        }
        let publish = await expectError { try await client.publish(channel: channel, messageJSON: "1") }

        for error in [add, fetch, remove, publish] {
            XCTAssertEqual(error, .requestRejected(.clientClosed))
            XCTAssertEqual(error?.message, "the client is shutting down and accepts no new requests")
            XCTAssertNil(error?.status)
        }
        XCTAssertEqual(server.receivedRequestLines, [])
    }

    func testFullQueueRejectsRequest() async throws {
        let server = try startStubServer(.holdOpen)
        var configuration = localConfiguration(origin: server.origin)
        configuration.workerCount = 1
        configuration.queueCapacity = 1
        let client = try PubNubActionsClient(configuration: configuration)
        let recorder = CompletionRecorder<MessageAction>()

        // The single worker takes at most one request (the server never
        // replies) and the queue at most one more, so one of three is rejected.
        for index in 0..<3 {
            client.addMessageAction(
                channel: channel, type: "reaction", value: "value-\(index)", messageTimetoken: 1,
                completion: recorder.handler(index))
        }
        let rejected = (0..<3).compactMap { recorder.result($0)?.failure }

        XCTAssertGreaterThanOrEqual(rejected.count, 1)
        for error in rejected {
            XCTAssertEqual(error, .requestRejected(.queueFull))
            XCTAssertEqual(
                error.message,
                "the client's request queue is full; wait for callbacks to complete or raise queue_capacity")
        }
        client.close()
        for index in 0..<3 {
            XCTAssertEqual(recorder.callCount(index), 1, "request \(index)")
        }
    }
}
