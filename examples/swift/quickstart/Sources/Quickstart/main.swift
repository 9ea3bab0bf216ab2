// Publishes a message, reacts to it, lists the channel's actions and removes
// the reaction, against the emulator at the address given on the command line.

import Foundation
import PubNubActions

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    printError("usage: Quickstart HOST:PORT   (the address the emulator prints, such as 127.0.0.1:8090)")
    exit(2)
}

let configuration = Configuration(
    subscribeKey: "sub-c-quickstart",
    publishKey: "pub-c-quickstart",
    userId: "quickstart-user",
    origin: arguments[1],
    useSecureConnections: false  // the emulator serves plain HTTP unless started with --tls
)
let channel = "chats.room1"

do {
    let client = try PubNubActionsClient(configuration: configuration)
    print("pubnub-actions \(PubNubActionsClient.libraryVersion), origin \(configuration.origin)")

    let messageTimetoken = try await client.publish(channel: channel, messageJSON: #"{"text":"Hello from Swift"}"#)
    print("published a message to \(channel) at timetoken \(messageTimetoken)")

    let action = try await client.addMessageAction(
        channel: channel, type: "reaction", value: "smiley_face", messageTimetoken: messageTimetoken)
    print("added \(action.actionType)/\(action.actionValue) by \(action.publisher) at timetoken \(action.actionTimetoken)")

    // The same user cannot add the same type and value twice: the service replies 409.
    do {
        _ = try await client.addMessageAction(
            channel: channel, type: "reaction", value: "smiley_face", messageTimetoken: messageTimetoken)
    } catch PubNubActionsError.alreadyAdded(let status) {
        print("adding it again failed as expected: HTTP \(status.httpStatus ?? 0), \(status.serverMessage ?? "")")
    }

    let page = try await client.fetchMessageActions(channel: channel, limit: 10)
    print("\(channel) has \(page.actions.count) action(s):")
    for listed in page.actions {
        print("  \(listed.actionType)/\(listed.actionValue) on message \(listed.messageTimetoken)")
    }

    // Every operation also has a completion-handler form. The handler runs on
    // a library thread; here a continuation brings the result back.
    let removal: Result<Void, PubNubActionsError> = await withCheckedContinuation { continuation in
        client.removeMessageAction(
            channel: channel, messageTimetoken: messageTimetoken, actionTimetoken: action.actionTimetoken
        ) { result in
            continuation.resume(returning: result)
        }
    }
    try removal.get()
    print("removed the reaction")

    let remaining = try await client.fetchMessageActions(channel: channel)
    print("\(channel) has \(remaining.actions.count) action(s) left")
} catch let error as PubNubActionsError {
    printError("quickstart failed: \(error.message)")
    exit(1)
}
