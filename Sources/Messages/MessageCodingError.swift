/// Bytes that are not a valid protobuf encoding of the expected message.
///
/// A service maps it to `INVALID_ARGUMENT`: the client sent something the method cannot read.
public struct MessageCodingError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case malformed
    }

    private let kind: Kind
    /// The protobuf name of the message that could not be decoded.
    public let messageType: String
    /// How many bytes were offered.
    public let byteCount: Int

    static func malformed(_ messageType: String, byteCount: Int) -> MessageCodingError {
        MessageCodingError(kind: .malformed, messageType: messageType, byteCount: byteCount)
    }

    public var description: String {
        switch kind {
        case .malformed:
            return "cannot decode \(messageType): the \(byteCount) bytes received are not a valid protobuf "
                + "encoding of it (truncated, corrupt, or a different message type)"
        }
    }
}
