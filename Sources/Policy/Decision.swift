/// What to do with a suggested reply (the proto's `Decision`).
public enum Decision: Sendable, Equatable {
    /// Send the reply without a person.
    case autoSend
    /// Show the reply to an agent, who sends it (or not).
    case suggest
    /// Something calls for a person: hand the conversation to one.
    case escalate
}

/// A decision and why (short English sentences, never empty).
public struct DecisionOutcome: Sendable, Equatable {
    public let decision: Decision
    public let reasons: [String]

    public init(decision: Decision, reasons: [String]) {
        self.decision = decision
        self.reasons = reasons
    }
}
