/// One request message as it arrived: its bytes (already decompressed) and whether the
/// sender compressed it (the per-message flag of the gRPC length prefix).
public struct ReceivedMessage: Sendable, Hashable {
    public var bytes: [UInt8]
    public var wasCompressed: Bool

    public init(bytes: [UInt8], wasCompressed: Bool = false) {
        self.bytes = bytes
        self.wasCompressed = wasCompressed
    }
}
