/// The bounds the service enforces on requests, so that no caller can make it do unbounded work.
public struct ServiceLimits: Sendable, Equatable {
    /// The largest `BuyerMessage.text`, in UTF-8 bytes (the API promises at least 16 KiB).
    public var maxTextBytes = 16 * 1024
    /// The largest message, conversation, buyer and agent id, in UTF-8 bytes.
    public var maxIdentifierBytes = 128
    /// The largest `top_k` (every intent the models know).
    public var maxTopK = 23
    /// The `top_k` used when a request leaves it 0.
    public var defaultTopK = 3
    /// How many variables a `SuggestReplyRequest` may carry, and how long each name and value may be.
    public var maxVariables = 64
    public var maxVariableNameBytes = 64
    public var maxVariableValueBytes = 2048
    /// How many message ids a stream remembers (with the intent it answered) for corrections'
    /// `previous_intent`; the oldest are forgotten first.
    public var rememberedMessagesPerStream = 4096
    /// Streams of one client connection that may hold an alert subscription at once.
    public var maxSubscribersPerConnection = 16

    public init() {}
}
