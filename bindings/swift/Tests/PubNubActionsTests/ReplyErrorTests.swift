import PubNubActions
import XCTest

/// Replies the service sends rarely (HTTP 207, 429, 5xx, other statuses,
/// malformed bodies, slow replies, dropped connections), made by the
/// emulator's `--fault` option, and a refused connection.
final class ReplyErrorTests: XCTestCase {
    let channel = "chats.room1"

    /// Returns the `--fault` arguments for one fault on the message action requests with `method`.
    private func actionsFault(_ method: String, _ fields: String) -> [String] {
        [
            "--fault",
            #"{"method":"\#(method)","path_prefix":"/v1/message-actions/",\#(fields)}"#,
        ]
    }

    func testAdd207ThrowsEventNotPublished() async throws {
        let emulator = try startEmulator(actionsFault("POST", #""kind":"event_not_published""#))
        let client = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client, channel: channel)

        let error = await expectError {
            try await client.addMessageAction(
                channel: channel, type: "reaction", value: "smiley_face", messageTimetoken: messageTimetoken)
        }
        let page = try await client.fetchMessageActions(channel: channel)

        guard case .eventNotPublished(let status, let action) = error else {
            return XCTFail("expected eventNotPublished, got \(String(describing: error))")
        }
        let stored = try XCTUnwrap(action, "a 207 reply to an add carries the stored action")
        XCTAssertEqual(stored.actionType, "reaction")
        XCTAssertEqual(stored.actionValue, "smiley_face")
        XCTAssertEqual(stored.messageTimetoken, messageTimetoken)
        XCTAssertEqual(stored.publisher, TestKeys.userId)
        XCTAssertEqual(stored.channel, channel)
        XCTAssertEqual(page.actions, [stored], "the action was stored")
        XCTAssertEqual(status.code, .eventNotPublished)
        XCTAssertEqual(status.category, .unknown)
        XCTAssertEqual(status.operation, .addMessageAction)
        XCTAssertEqual(status.httpStatus, 207)
        XCTAssertEqual(status.serverMessage, "Stored but failed to publish message action.")
        XCTAssertEqual(
            status.message,
            "the server stored the change but could not publish its event to subscribers (HTTP 207): "
                + "Stored but failed to publish message action.")
        XCTAssertEqual(error?.code, .eventNotPublished)
        XCTAssertEqual(error?.httpStatus, 207)
    }

    func testAdd207PassesActionToCompletion() async throws {
        let emulator = try startEmulator(actionsFault("POST", #""kind":"event_not_published""#))
        let client = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client, channel: channel)

        let result = await completionResult { completion in
            client.addMessageAction(
                channel: channel, type: "reaction", value: "heart", messageTimetoken: messageTimetoken,
                completion: completion)
        }

        guard case .eventNotPublished(let status, let action) = result.failure else {
            return XCTFail("expected eventNotPublished, got \(result)")
        }
        XCTAssertEqual(action?.actionValue, "heart")
        XCTAssertEqual(action?.messageTimetoken, messageTimetoken)
        XCTAssertEqual(status.httpStatus, 207)
    }

    func testRemove207ThrowsEventNotPublished() async throws {
        let emulator = try startEmulator(actionsFault("DELETE", #""kind":"event_not_published""#))
        let client = try makeClient(origin: emulator.origin)
        let messageTimetoken = try await publishMessage(client, channel: channel)
        let action = try await client.addMessageAction(
            channel: channel, type: "reaction", value: "heart", messageTimetoken: messageTimetoken)

        let error = await expectError {
            try await client.removeMessageAction(
                channel: channel, messageTimetoken: messageTimetoken, actionTimetoken: action.actionTimetoken)
        }
        let page = try await client.fetchMessageActions(channel: channel)

        guard case .eventNotPublished(let status, let removed) = error else {
            return XCTFail("expected eventNotPublished, got \(String(describing: error))")
        }
        XCTAssertNil(removed)
        XCTAssertEqual(page.actions, [], "the action was removed")
        XCTAssertEqual(status.code, .eventNotPublished)
        XCTAssertEqual(status.operation, .removeMessageAction)
        XCTAssertEqual(status.httpStatus, 207)
        XCTAssertEqual(status.serverMessage, "Deleted but failed to publish removed events.")
    }

    func testMalformedJSONIsMalformedResponse() async throws {
        let emulator = try startEmulator(actionsFault("GET", #""kind":"malformed_json""#))
        let client = try makeClient(origin: emulator.origin)

        let error = await expectError { try await client.fetchMessageActions(channel: channel) }

        guard case .malformedResponse(let status) = error else {
            return XCTFail("expected malformedResponse, got \(String(describing: error))")
        }
        XCTAssertEqual(status.code, .malformedResponse)
        XCTAssertEqual(status.category, .malformedResponse)
        XCTAssertEqual(status.operation, .getMessageActions)
        XCTAssertEqual(status.httpStatus, 200)
        XCTAssertNil(status.serverMessage)
        XCTAssertEqual(
            status.message,
            #"the server's reply is not the expected JSON (HTTP 200): not JSON (EOF while parsing a string at line 1 column 50); "#
                + #"the reply starts with "{\"status\": 200, \"data\": [{\"type\": \"reaction\", \"val""#)
    }

    func testReplyWithoutDataIsMalformed() async throws {
        let emulator = try startEmulator(
            actionsFault("POST", #""kind":"reply","status":200,"body":"{\"status\": 200}""#))
        let client = try makeClient(origin: emulator.origin)

        let error = await expectError {
            try await client.addMessageAction(
                channel: channel, type: "reaction", value: "heart", messageTimetoken: 15_610_547_826_969_050)
        }

        guard case .malformedResponse(let status) = error else {
            return XCTFail("expected malformedResponse, got \(String(describing: error))")
        }
        XCTAssertEqual(status.operation, .addMessageAction)
        XCTAssertEqual(
            status.message,
            #"the server's reply is not the expected JSON (HTTP 200): the reply has no "data" object; "#
                + #"the reply starts with "{\"status\": 200}""#)
    }

    func testStatus429IsRateLimitedWithRetryAfter() async throws {
        let body = #"{\"status\": 429, \"error\": {\"message\": \"Too many requests\", \"source\": \"actions\"}}"#
        let emulator = try startEmulator(
            actionsFault("GET", #""kind":"reply","status":429,"headers":{"Retry-After":"7"},"body":"\#(body)""#))
        let client = try makeClient(origin: emulator.origin)

        let error = await expectError { try await client.fetchMessageActions(channel: channel) }

        guard case .rateLimited(let status) = error else {
            return XCTFail("expected rateLimited, got \(String(describing: error))")
        }
        XCTAssertEqual(status.code, .rateLimited)
        XCTAssertEqual(status.category, .unknown)
        XCTAssertEqual(status.httpStatus, 429)
        XCTAssertEqual(status.retryAfterSeconds, 7)
        XCTAssertEqual(status.serverMessage, "Too many requests")
        XCTAssertEqual(status.message, "the server is rate limiting requests (HTTP 429): Too many requests")
    }

    func testStatus500IsServerError() async throws {
        let body = #"{\"message\": \"Internal Server Error\", \"error\": true, \"status\": 500}"#
        let emulator = try startEmulator(actionsFault("DELETE", #""kind":"reply","status":500,"body":"\#(body)""#))
        let client = try makeClient(origin: emulator.origin)

        let error = await expectError {
            try await client.removeMessageAction(
                channel: channel, messageTimetoken: 15_610_547_826_969_050, actionTimetoken: 15_610_547_826_970_050)
        }

        guard case .serverError(let status) = error else {
            return XCTFail("expected serverError, got \(String(describing: error))")
        }
        XCTAssertEqual(status.code, .serverError)
        XCTAssertEqual(status.category, .unknown)
        XCTAssertEqual(status.operation, .removeMessageAction)
        XCTAssertEqual(status.httpStatus, 500)
        XCTAssertNil(status.retryAfterSeconds)
        XCTAssertEqual(status.serverMessage, "Internal Server Error")
        XCTAssertEqual(status.message, "the server failed to process the request (HTTP 500): Internal Server Error")
    }

    func testUnexpectedStatusIsHTTPError() async throws {
        let body = #"{\"message\": \"I'm a teapot\", \"error\": true}"#
        let emulator = try startEmulator(actionsFault("GET", #""kind":"reply","status":418,"body":"\#(body)""#))
        let client = try makeClient(origin: emulator.origin)

        let error = await expectError { try await client.fetchMessageActions(channel: channel) }

        guard case .unexpectedHTTPStatus(let status) = error else {
            return XCTFail("expected unexpectedHTTPStatus, got \(String(describing: error))")
        }
        XCTAssertEqual(status.code, .httpError)
        XCTAssertEqual(status.category, .unknown)
        XCTAssertEqual(status.httpStatus, 418)
        XCTAssertEqual(status.message, "the server returned an unexpected HTTP status (HTTP 418): I'm a teapot")
    }

    func testSlowReplyTimesOut() async throws {
        let emulator = try startEmulator(actionsFault("GET", #""kind":"delay","delay_ms":30000"#))
        var configuration = localConfiguration(origin: emulator.origin)
        configuration.requestTimeout = 0.2
        let client = try PubNubActionsClient(configuration: configuration)

        let error = await expectError { try await client.fetchMessageActions(channel: channel) }

        guard case .timedOut(let status) = error else {
            return XCTFail("expected timedOut, got \(String(describing: error))")
        }
        XCTAssertEqual(status.code, .timeout)
        XCTAssertEqual(status.category, .timeout)
        XCTAssertEqual(status.operation, .getMessageActions)
        XCTAssertNil(status.httpStatus)
        XCTAssertTrue(status.message.hasPrefix("the request timed out (\(emulator.origin)): "), status.message)
    }

    func testClosedConnectionIsConnectionFailed() async throws {
        let emulator = try startEmulator(actionsFault("POST", #""kind":"close""#))
        let client = try makeClient(origin: emulator.origin)

        let error = await expectError {
            try await client.addMessageAction(
                channel: channel, type: "reaction", value: "heart", messageTimetoken: 15_610_547_826_969_050)
        }

        guard case .connectionFailed(let status) = error else {
            return XCTFail("expected connectionFailed, got \(String(describing: error))")
        }
        XCTAssertEqual(status.code, .connectionFailed)
        XCTAssertEqual(status.category, .unexpectedDisconnect)
        XCTAssertNil(status.httpStatus)
        XCTAssertTrue(
            status.message.hasPrefix("the connection to the origin failed (\(emulator.origin)): "), status.message)
    }

    func testTruncatedReplyIsMalformedResponse() async throws {
        let emulator = try startEmulator(actionsFault("GET", #""kind":"truncate""#))
        let client = try makeClient(origin: emulator.origin)

        let error = await expectError { try await client.fetchMessageActions(channel: channel) }

        // The emulator compresses the reply with gzip, and the library reports
        // a body that ends early inside the gzip stream as malformed.
        guard case .malformedResponse(let status) = error else {
            return XCTFail("expected malformedResponse, got \(String(describing: error))")
        }
        XCTAssertEqual(status.code, .malformedResponse)
        XCTAssertEqual(status.category, .malformedResponse)
        XCTAssertEqual(status.httpStatus, 200)
        XCTAssertTrue(
            status.message.hasPrefix("the server's reply is not the expected JSON (HTTP 200): reading the body failed"),
            status.message)
    }

    func testRefusedConnectionIsConnectionFailed() async throws {
        let closedPort = try ClosedPort()
        defer { closedPort.close() }
        let origin = "127.0.0.1:\(closedPort.port)"
        let client = try makeClient(origin: origin)

        let error = await expectError { try await client.fetchMessageActions(channel: channel) }

        guard case .connectionFailed(let status) = error else {
            return XCTFail("expected connectionFailed, got \(String(describing: error))")
        }
        XCTAssertEqual(status.code, .connectionFailed)
        XCTAssertEqual(status.category, .unexpectedDisconnect)
        XCTAssertNil(status.httpStatus)
        XCTAssertTrue(
            status.message.hasPrefix("the connection to the origin failed (\(origin)): "), status.message)
    }
}
