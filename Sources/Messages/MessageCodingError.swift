/// Bytes that are not a valid protobuf encoding of the expected message.
///
/// A service maps it to `INVALID_ARGUMENT`: the client sent something the method cannot read.
public struct MessageCodingError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case malformed
        case invalidUTF8(field: String)
        case nulInString(field: String)
    }

    private let kind: Kind
    /// The protobuf name of the message that could not be decoded.
    public let messageType: String
    /// How many bytes were offered.
    public let byteCount: Int

    static func malformed(_ messageType: String, byteCount: Int) -> MessageCodingError {
        MessageCodingError(kind: .malformed, messageType: messageType, byteCount: byteCount)
    }

    /// A proto3 `string` field whose bytes are not valid UTF-8 (protobuf-c does not check; the
    /// ReplyIntent messages do). `field` is a dotted path such as `message.text`.
    static func invalidUTF8(_ messageType: String, field: String, byteCount: Int) -> MessageCodingError {
        MessageCodingError(kind: .invalidUTF8(field: field), messageType: messageType, byteCount: byteCount)
    }

    /// A `string` field holding a NUL byte: protobuf-c would cut the text there, so it is refused.
    static func nulInString(_ messageType: String, field: String, byteCount: Int) -> MessageCodingError {
        MessageCodingError(kind: .nulInString(field: field), messageType: messageType, byteCount: byteCount)
    }

    /// The dotted path of the string field whose content was refused (not UTF-8, or holding a
    /// NUL byte), such as `message.text`; nil when the bytes were not a valid encoding at all.
    public var refusedStringField: String? {
        switch kind {
        case .malformed: nil
        case .invalidUTF8(let field), .nulInString(let field): field
        }
    }

    public var description: String {
        switch kind {
        case .malformed:
            return "cannot decode \(messageType): the \(byteCount) bytes received are not a valid protobuf "
                + "encoding of it (truncated, corrupt, or a different message type)"
        case .invalidUTF8(let field):
            return "cannot decode \(messageType): string field \(field) is not valid UTF-8"
        case .nulInString(let field):
            return "cannot decode \(messageType): string field \(field) contains a NUL (U+0000) character, "
                + "which this server does not accept"
        }
    }
}
