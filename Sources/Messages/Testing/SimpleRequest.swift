internal import CReplyIntentProtos

/// `grpc.testing.SimpleRequest`: the request of `UnaryCall` and `CacheableUnaryCall`.
///
/// Not modelled (skipped on decode, never encoded): the ORCA report fields.
public struct SimpleRequest: ProtobufMessage, CBackedMessage {
    public static let protoName = "grpc.testing.SimpleRequest"

    /// The payload type the response should carry.
    public var responseType: PayloadType
    /// The payload size the response should carry.
    public var responseSize: Int32
    public var payload: Payload?
    public var fillUsername: Bool
    public var fillOauthScope: Bool
    /// Whether the server should compress the response; nil leaves it to the server.
    public var responseCompressed: BoolValue?
    /// A status the server should end the call with.
    public var responseStatus: EchoStatus?
    /// Whether the server should expect this request to be compressed; nil = don't check.
    public var expectCompressed: BoolValue?
    public var fillServerID: Bool
    public var fillGrpclbRouteType: Bool

    public init(
        responseType: PayloadType = .compressable, responseSize: Int32 = 0, payload: Payload? = nil,
        fillUsername: Bool = false, fillOauthScope: Bool = false, responseCompressed: BoolValue? = nil,
        responseStatus: EchoStatus? = nil, expectCompressed: BoolValue? = nil, fillServerID: Bool = false,
        fillGrpclbRouteType: Bool = false
    ) {
        self.responseType = responseType
        self.responseSize = responseSize
        self.payload = payload
        self.fillUsername = fillUsername
        self.fillOauthScope = fillOauthScope
        self.responseCompressed = responseCompressed
        self.responseStatus = responseStatus
        self.expectCompressed = expectCompressed
        self.fillServerID = fillServerID
        self.fillGrpclbRouteType = fillGrpclbRouteType
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Grpc__Testing__SimpleRequest> {
        .init(
            initialize: grpc__testing__simple_request__init, packedSize: grpc__testing__simple_request__get_packed_size,
            pack: grpc__testing__simple_request__pack, unpack: grpc__testing__simple_request__unpack,
            freeUnpacked: grpc__testing__simple_request__free_unpacked)
    }

    init(cMessage: UnsafePointer<Grpc__Testing__SimpleRequest>) {
        let c = cMessage.pointee
        responseType = PayloadType(c.response_type)
        responseSize = c.response_size
        payload = Payload.read(c.payload)
        fillUsername = CField.bool(c.fill_username)
        fillOauthScope = CField.bool(c.fill_oauth_scope)
        responseCompressed = BoolValue.read(c.response_compressed)
        responseStatus = EchoStatus.read(c.response_status)
        expectCompressed = BoolValue.read(c.expect_compressed)
        fillServerID = CField.bool(c.fill_server_id)
        fillGrpclbRouteType = CField.bool(c.fill_grpclb_route_type)
    }

    func withCMessage<R>(_ body: (UnsafePointer<Grpc__Testing__SimpleRequest>) -> R) -> R {
        Self.withDefaultCMessage { c in
            c.pointee.response_type = responseType.cValue
            c.pointee.response_size = responseSize
            c.pointee.fill_username = CField.bool(fillUsername)
            c.pointee.fill_oauth_scope = CField.bool(fillOauthScope)
            c.pointee.fill_server_id = CField.bool(fillServerID)
            c.pointee.fill_grpclb_route_type = CField.bool(fillGrpclbRouteType)
            return payload.withCMessage { payload in
                c.pointee.payload = payload
                return responseCompressed.withCMessage { responseCompressed in
                    c.pointee.response_compressed = responseCompressed
                    return responseStatus.withCMessage { responseStatus in
                        c.pointee.response_status = responseStatus
                        return expectCompressed.withCMessage { expectCompressed in
                            c.pointee.expect_compressed = expectCompressed
                            return body(c)
                        }
                    }
                }
            }
        }
    }
}
