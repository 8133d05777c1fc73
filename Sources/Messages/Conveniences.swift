// Hand-written additions to generated messages, for the code that builds them.

extension BoolValue: ExpressibleByBooleanLiteral {
    /// `BoolValue(true)`, as the interop code writes the protos' nullable bool.
    public init(_ value: Bool) { self.init(value: value) }
    public init(booleanLiteral value: Bool) { self.init(value: value) }
}

extension Payload {
    /// A compressable payload of `size` zero bytes, as the interop servers send.
    public static func zeros(_ size: Int) -> Payload { Payload(body: [UInt8](repeating: 0, count: size)) }
}

/// Ordered as the proto says: a larger value is more urgent.
extension Classification.Priority: Comparable {
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
