import CPubNubActions

/// An action attached to a published message, such as a reaction.
///
/// The property names are those of the PubNub Swift SDK's `PubNubMessageAction`.
public struct MessageAction: Hashable, Sendable {
    /// Action type, such as "reaction".
    public let actionType: String
    /// Action value, such as "smiley_face".
    public let actionValue: String
    /// Timetoken the server assigned to the action.
    public let actionTimetoken: UInt64
    /// Timetoken of the message the action is attached to.
    public let messageTimetoken: UInt64
    /// User id of the client that added the action (`uuid` on the wire).
    public let publisher: String
    /// Channel of the message.
    public let channel: String

    public init(
        actionType: String,
        actionValue: String,
        actionTimetoken: UInt64,
        messageTimetoken: UInt64,
        publisher: String,
        channel: String
    ) {
        self.actionType = actionType
        self.actionValue = actionValue
        self.actionTimetoken = actionTimetoken
        self.messageTimetoken = messageTimetoken
        self.publisher = publisher
        self.channel = channel
    }

    /// Copies an action out of C memory that is valid only during a callback.
    init(_ action: pna_action_t, channel: String) {
        self.init(
            actionType: copyString(action.type, byteCount: action.type_len),
            actionValue: copyString(action.value, byteCount: action.value_len),
            actionTimetoken: action.action_timetoken,
            messageTimetoken: action.message_timetoken,
            publisher: copyString(action.user_id, byteCount: action.user_id_len),
            channel: channel
        )
    }
}

/// The bounds of a page of message actions: `start` is exclusive, `end`
/// inclusive, and the service returns the newest `limit` actions in between.
///
/// nil leaves a bound unset and a nil limit means 100, the service maximum.
public struct BoundedPage: Hashable, Sendable {
    public var start: UInt64?
    public var end: UInt64?
    public var limit: Int?

    public init(start: UInt64? = nil, end: UInt64? = nil, limit: Int? = nil) {
        self.start = start
        self.end = end
        self.limit = limit
    }
}

/// One page of a channel's message actions, oldest first.
public struct MessageActionsPage: Hashable, Sendable {
    /// The actions, oldest first.
    public let actions: [MessageAction]
    /// The bounds of the next, older page, or nil when the service reported
    /// no more actions.
    public let next: BoundedPage?

    public init(actions: [MessageAction], next: BoundedPage?) {
        self.actions = actions
        self.next = next
    }

    /// Copies a page out of C memory that is valid only during a callback.
    init(_ page: pna_actions_page_t, channel: String) {
        var actions: [MessageAction] = []
        if let first = page.actions {
            let buffer = UnsafeBufferPointer(start: first, count: page.count)
            actions = buffer.map { MessageAction($0, channel: channel) }
        }
        // The C API writes 0 for an unset bound or a default limit.
        let next: BoundedPage? =
            page.has_next
            ? BoundedPage(
                start: page.next_start == 0 ? nil : page.next_start,
                end: page.next_end == 0 ? nil : page.next_end,
                limit: page.next_limit == 0 ? nil : Int(page.next_limit))
            : nil
        self.init(actions: actions, next: next)
    }
}

/// Copies `byteCount` bytes of UTF-8 from C memory into a String, keeping any
/// NUL character that another client stored.
func copyString(_ pointer: UnsafePointer<CChar>?, byteCount: Int) -> String {
    guard let pointer, byteCount > 0 else {
        return ""
    }
    let bytes = UnsafeRawBufferPointer(start: pointer, count: byteCount)
    return String(decoding: bytes, as: UTF8.self)
}
