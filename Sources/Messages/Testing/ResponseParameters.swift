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
            withUnsafeTemporaryAllocation(of: Grpc__Testing__BoolValue.self, capacity: 1) { flag in
                fill(c, flag: flag.baseAddress!)
                return body(c)
            }
        }
    }

    /// Fills a default-initialized C struct; `flag` is the storage of its `compressed` sub-message.
    /// No field borrows Swift storage, so a repeated field's elements need no nested scopes.
    func fill(_ c: UnsafeMutablePointer<Grpc__Testing__ResponseParameters>, flag: UnsafeMutablePointer<Grpc__Testing__BoolValue>) {
        c.pointee.size = size
        c.pointee.interval_us = intervalUs
        if let compressed {
            BoolValue.cFunctions.initialize(flag)
            flag.pointee.value = CField.bool(compressed.value)
            c.pointee.compressed = flag
        }
    }
}

extension Array where Element == ResponseParameters {
    /// Lends the C array of a repeated `ResponseParameters` field: every element's C struct (and
    /// its BoolValue) is filled in one loop, in buffers allocated once, so the stack does not grow
    /// with the count. (A nested frame per element overflowed it re-encoding a request that a
    /// client had sent with ~5,000 elements; found by the messages fuzz target.)
    func withCMessages<R>(
        _ body: (_ count: Int, _ messages: UnsafeMutablePointer<UnsafeMutablePointer<Grpc__Testing__ResponseParameters>?>?) -> R
    ) -> R {
        withUnsafeTemporaryAllocation(of: Grpc__Testing__ResponseParameters.self, capacity: count) { structs in
            withUnsafeTemporaryAllocation(of: Grpc__Testing__BoolValue.self, capacity: count) { flags in
                withUnsafeTemporaryAllocation(
                    of: UnsafeMutablePointer<Grpc__Testing__ResponseParameters>?.self, capacity: count
                ) { pointers in
                    for (index, parameters) in enumerated() {
                        let c = structs.baseAddress! + index
                        ResponseParameters.cFunctions.initialize(c)
                        parameters.fill(c, flag: flags.baseAddress! + index)
                        pointers.initializeElement(at: index, to: c)
                    }
                    return body(count, pointers.baseAddress)
                }
            }
        }
    }
}
