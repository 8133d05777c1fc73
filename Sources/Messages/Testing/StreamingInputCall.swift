internal import CReplyIntentProtos

/// `grpc.testing.StreamingInputCallRequest`: one message of the client stream of `StreamingInputCall`.
public struct StreamingInputCallRequest: ProtobufMessage, CBackedMessage {
    public static let protoName = "grpc.testing.StreamingInputCallRequest"

    public var payload: Payload?
    /// Whether the server should expect this message to be compressed; nil = don't check.
    public var expectCompressed: BoolValue?

    public init(payload: Payload? = nil, expectCompressed: BoolValue? = nil) {
        self.payload = payload
        self.expectCompressed = expectCompressed
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Grpc__Testing__StreamingInputCallRequest> {
        .init(
            initialize: grpc__testing__streaming_input_call_request__init,
            packedSize: grpc__testing__streaming_input_call_request__get_packed_size,
            pack: grpc__testing__streaming_input_call_request__pack,
            unpack: grpc__testing__streaming_input_call_request__unpack,
            freeUnpacked: grpc__testing__streaming_input_call_request__free_unpacked)
    }

    init(cMessage: UnsafePointer<Grpc__Testing__StreamingInputCallRequest>) {
        payload = Payload.read(cMessage.pointee.payload)
        expectCompressed = BoolValue.read(cMessage.pointee.expect_compressed)
    }

    func withCMessage<R>(_ body: (UnsafePointer<Grpc__Testing__StreamingInputCallRequest>) -> R) -> R {
        Self.withDefaultCMessage { c in
            payload.withCMessage { payload in
                c.pointee.payload = payload
                return expectCompressed.withCMessage { expectCompressed in
                    c.pointee.expect_compressed = expectCompressed
                    return body(c)
                }
            }
        }
    }
}

/// `grpc.testing.StreamingInputCallResponse`: the single response of `StreamingInputCall`.
public struct StreamingInputCallResponse: ProtobufMessage, CBackedMessage {
    public static let protoName = "grpc.testing.StreamingInputCallResponse"

    /// The sum of the payload body sizes the server received.
    public var aggregatedPayloadSize: Int32

    public init(aggregatedPayloadSize: Int32 = 0) { self.aggregatedPayloadSize = aggregatedPayloadSize }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Grpc__Testing__StreamingInputCallResponse> {
        .init(
            initialize: grpc__testing__streaming_input_call_response__init,
            packedSize: grpc__testing__streaming_input_call_response__get_packed_size,
            pack: grpc__testing__streaming_input_call_response__pack,
            unpack: grpc__testing__streaming_input_call_response__unpack,
            freeUnpacked: grpc__testing__streaming_input_call_response__free_unpacked)
    }

    init(cMessage: UnsafePointer<Grpc__Testing__StreamingInputCallResponse>) {
        aggregatedPayloadSize = cMessage.pointee.aggregated_payload_size
    }

    func withCMessage<R>(_ body: (UnsafePointer<Grpc__Testing__StreamingInputCallResponse>) -> R) -> R {
        Self.withDefaultCMessage { c in
            c.pointee.aggregated_payload_size = aggregatedPayloadSize
            return body(c)
        }
    }
}
