internal import CReplyIntentProtos

/// `grpc.testing.ResponseParameters`: the shape of one response of a streaming-output call.
public struct ResponseParameters: ProtobufMessage, CBackedMessage {
    public static let protoName = "grpc.testing.ResponseParameters"

    /// The payload size of this response.
    public var size: Int32
    /// How long the server waits before sending this response, in microseconds.
    public var intervalUs: Int32
    /// Whether the server should compress this response; nil leaves it to the server.
    public var compressed: BoolValue?

    public init(size: Int32 = 0, intervalUs: Int32 = 0, compressed: BoolValue? = nil) {
        self.size = size
        self.intervalUs = intervalUs
        self.compressed = compressed
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Grpc__Testing__ResponseParameters> {
        .init(
            initialize: grpc__testing__response_parameters__init,
            packedSize: grpc__testing__response_parameters__get_packed_size,
            pack: grpc__testing__response_parameters__pack, unpack: grpc__testing__response_parameters__unpack,
            freeUnpacked: grpc__testing__response_parameters__free_unpacked)
    }

    init(cMessage: UnsafePointer<Grpc__Testing__ResponseParameters>) {
        size = cMessage.pointee.size
        intervalUs = cMessage.pointee.interval_us
        compressed = BoolValue.read(cMessage.pointee.compressed)
    }

    func withCMessage<R>(_ body: (UnsafePointer<Grpc__Testing__ResponseParameters>) -> R) -> R {
        Self.withDefaultCMessage { c in
            c.pointee.size = size
            c.pointee.interval_us = intervalUs
            return compressed.withCMessage { compressed in
                c.pointee.compressed = compressed
                return body(c)
            }
        }
    }
}
