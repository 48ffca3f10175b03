import ConfabCore

/// What `SyntheticChatGenerator` makes: sizes, the seed that fixes every value, and the time
/// window the data falls in.
public struct SyntheticChatPlan: Sendable, Equatable {
    public var applicationId: Int
    public var dialogs: Int
    /// Messages in total, spread unevenly over the dialogs.
    public var messages: Int
    public var users: Int
    public var seed: UInt64
    /// Unix seconds of the earliest dialog.
    public var start: Int64
    /// Seconds from `start` to the last message.
    public var span: Int64
    /// Host part of generated room JIDs.
    public var chatHost: String

    public init(
        applicationId: Int, dialogs: Int, messages: Int, users: Int? = nil, seed: UInt64 = 1,
        start: Int64 = 1_700_000_000, span: Int64 = 180 * 86_400, chatHost: String = "chat.confab.local"
    ) {
        self.applicationId = applicationId
        self.dialogs = max(0, dialogs)
        self.messages = dialogs > 0 ? max(0, messages) : 0
        self.users = max(2, users ?? min(max(20, dialogs * 2), 100_000))
        self.seed = seed
        self.start = start
        self.span = max(3_600, span)
        self.chatHost = chatHost
    }

    /// The `--demo` data: a few hundred dialogs of all four types and a few thousand messages.
    public static func demo(applicationId: Int) -> SyntheticChatPlan {
        SyntheticChatPlan(applicationId: applicationId, dialogs: 300, messages: 4_000, users: 60, seed: 2024)
    }
}
