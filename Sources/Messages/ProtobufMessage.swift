/// A protobuf message as a plain Swift value, encoded and decoded by protobuf-c.
///
/// Every field has its proto3 default when absent. Decoding tolerates unknown fields
/// (they are skipped) and rejects truncated or malformed input with ``MessageCodingError``.
public protocol ProtobufMessage: Sendable, Equatable {
    /// The fully qualified protobuf name, such as `grpc.testing.SimpleRequest`.
    static var protoName: String { get }

    /// Decodes the protobuf wire encoding.
    /// - Throws: ``MessageCodingError`` when the bytes are not a valid encoding of this message.
    init(serializedBytes: [UInt8]) throws(MessageCodingError)

    /// The protobuf wire encoding (empty for a message whose fields all have default values).
    func serializedBytes() -> [UInt8]
}
