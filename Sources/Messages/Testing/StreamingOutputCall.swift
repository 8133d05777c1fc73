internal import CReplyIntentProtos

/// `grpc.testing.StreamingOutputCallRequest`: the request of `StreamingOutputCall`, and each
/// client message of `FullDuplexCall` and `HalfDuplexCall`.
///
/// Not modelled (skipped on decode, never encoded): `orca_oob_report`.
public struct StreamingOutputCallRequest: ProtobufMessage, CBackedMessage {
    public static let protoName = "grpc.testing.StreamingOutputCallRequest"

    public var responseType: PayloadType
    /// One entry per response the server should send.
    public var responseParameters: [ResponseParameters]
    public var payload: Payload?
    /// A status the server should end the call with.
    public var responseStatus: EchoStatus?

    public init(
        responseType: PayloadType = .compressable, responseParameters: [ResponseParameters] = [],
        payload: Payload? = nil, responseStatus: EchoStatus? = nil
    ) {
        self.responseType = responseType
        self.responseParameters = responseParameters
        self.payload = payload
        self.responseStatus = responseStatus
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Grpc__Testing__StreamingOutputCallRequest> {
        .init(
            initialize: grpc__testing__streaming_output_call_request__init,
            packedSize: grpc__testing__streaming_output_call_request__get_packed_size,
            pack: grpc__testing__streaming_output_call_request__pack,
            unpack: grpc__testing__streaming_output_call_request__unpack,
            freeUnpacked: grpc__testing__streaming_output_call_request__free_unpacked)
    }

    init(cMessage: UnsafePointer<Grpc__Testing__StreamingOutputCallRequest>) {
        let c = cMessage.pointee
        responseType = PayloadType(c.response_type)
        responseParameters = [ResponseParameters](count: c.n_response_parameters, cMessages: c.response_parameters)
        payload = Payload.read(c.payload)
        responseStatus = EchoStatus.read(c.response_status)
    }

    func withCMessage<R>(_ body: (UnsafePointer<Grpc__Testing__StreamingOutputCallRequest>) -> R) -> R {
        Self.withDefaultCMessage { c in
            c.pointee.response_type = responseType.cValue
            return responseParameters.withCMessages { count, parameters in
                c.pointee.n_response_parameters = count
                c.pointee.response_parameters = parameters
                return payload.withCMessage { payload in
                    c.pointee.payload = payload
                    return responseStatus.withCMessage { responseStatus in
                        c.pointee.response_status = responseStatus
                        return body(c)
                    }
                }
            }
        }
    }
}

/// `grpc.testing.StreamingOutputCallResponse`: one server message of the streaming-output calls.
public struct StreamingOutputCallResponse: ProtobufMessage, CBackedMessage {
    public static let protoName = "grpc.testing.StreamingOutputCallResponse"

    public var payload: Payload?

    public init(payload: Payload? = nil) { self.payload = payload }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Grpc__Testing__StreamingOutputCallResponse> {
        .init(
            initialize: grpc__testing__streaming_output_call_response__init,
            packedSize: grpc__testing__streaming_output_call_response__get_packed_size,
            pack: grpc__testing__streaming_output_call_response__pack,
            unpack: grpc__testing__streaming_output_call_response__unpack,
            freeUnpacked: grpc__testing__streaming_output_call_response__free_unpacked)
    }

    init(cMessage: UnsafePointer<Grpc__Testing__StreamingOutputCallResponse>) {
        payload = Payload.read(cMessage.pointee.payload)
    }

    func withCMessage<R>(_ body: (UnsafePointer<Grpc__Testing__StreamingOutputCallResponse>) -> R) -> R {
        Self.withDefaultCMessage { c in
            payload.withCMessage { payload in
                c.pointee.payload = payload
                return body(c)
            }
        }
    }
}
