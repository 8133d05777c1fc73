internal import CReplyIntentProtos

/// `grpc.testing.SimpleResponse`: the response of `UnaryCall` and `CacheableUnaryCall`.
///
/// Not modelled (skipped on decode, never encoded): `grpclb_route_type`.
public struct SimpleResponse: ProtobufMessage, CBackedMessage {
    public static let protoName = "grpc.testing.SimpleResponse"

    public var payload: Payload?
    public var username: String
    public var oauthScope: String
    public var serverID: String
    public var hostname: String

    public init(
        payload: Payload? = nil, username: String = "", oauthScope: String = "", serverID: String = "",
        hostname: String = ""
    ) {
        self.payload = payload
        self.username = username
        self.oauthScope = oauthScope
        self.serverID = serverID
        self.hostname = hostname
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Grpc__Testing__SimpleResponse> {
        .init(
            initialize: grpc__testing__simple_response__init, packedSize: grpc__testing__simple_response__get_packed_size,
            pack: grpc__testing__simple_response__pack, unpack: grpc__testing__simple_response__unpack,
            freeUnpacked: grpc__testing__simple_response__free_unpacked)
    }

    init(cMessage: UnsafePointer<Grpc__Testing__SimpleResponse>) {
        let c = cMessage.pointee
        payload = Payload.read(c.payload)
        username = CField.string(c.username)
        oauthScope = CField.string(c.oauth_scope)
        serverID = CField.string(c.server_id)
        hostname = CField.string(c.hostname)
    }

    func withCMessage<R>(_ body: (UnsafePointer<Grpc__Testing__SimpleResponse>) -> R) -> R {
        Self.withDefaultCMessage { c in
            payload.withCMessage { payload in
                c.pointee.payload = payload
                // Default strings stay protobuf-c's shared empty string: no C string to lend.
                return CField.withOptionalString(username) { username in
                    if let username { c.pointee.username = username }
                    return CField.withOptionalString(oauthScope) { oauthScope in
                        if let oauthScope { c.pointee.oauth_scope = oauthScope }
                        return CField.withOptionalString(serverID) { serverID in
                            if let serverID { c.pointee.server_id = serverID }
                            return CField.withOptionalString(hostname) { hostname in
                                if let hostname { c.pointee.hostname = hostname }
                                return body(c)
                            }
                        }
                    }
                }
            }
        }
    }
}
