/// How soon a person should look at a message. Raw values are the proto's `Priority` values.
public enum Priority: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case low = 1, normal = 2, high = 3, urgent = 4

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }

    /// "low", "normal", "high", "urgent" (as in policy.yaml).
    public var name: String {
        switch self {
        case .low: "low"
        case .normal: "normal"
        case .high: "high"
        case .urgent: "urgent"
        }
    }

    /// The priority called `name` ("low", "normal", "high", "urgent"), or nil.
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    public var description: String { name }
}

/// A message's priority and the rules that set it (short English sentences, most severe first).
public struct PriorityAssessment: Sendable, Equatable {
    public let priority: Priority
    /// Never empty.
    public let reasons: [String]

    public init(priority: Priority, reasons: [String]) {
        self.priority = priority
        self.reasons = reasons
    }
}
