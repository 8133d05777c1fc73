import Messages
import Testing

/// What Tools/generate-messages.py writes for each kind of proto field, on the grpc.testing and
/// grpc.health messages that only the generator covers: maps (string, integer and message
/// values), repeated scalars and enums, nested messages and enums, the checks on decode.
@Suite struct GeneratedMessagesTests {
    func roundTrip<M: ProtobufMessage>(_ message: M, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let encoded = message.serializedBytes()
        let decoded = try M(serializedBytes: encoded)
        #expect(decoded == message, "\(M.protoName)", sourceLocation: sourceLocation)
        #expect(decoded.serializedBytes() == encoded, "\(M.protoName) re-encodes identically", sourceLocation: sourceLocation)
    }

    func refusedField<M: ProtobufMessage>(_ type: M.Type, _ wire: [UInt8]) -> String? {
        do {
            _ = try M(serializedBytes: wire)
            return nil
        } catch {
            return error.refusedStringField
        }
    }

    @Test func mapsOfEveryValueKindRoundTrip() throws {
        try roundTrip(LoadBalancerStatsResponse(
            rpcsByPeer: ["peer-a": 3, "peer-b": 0, "": -7], numFailures: 2,
            rpcsByMethod: [
                "UnaryCall": .init(rpcsByPeer: ["peer-a": 1]), "EmptyCall": .init(),
            ]))
        try roundTrip(LoadBalancerAccumulatedStatsResponse(statsPerMethod: [
            "UnaryCall": .init(rpcsStarted: 9, result: [0: 7, 14: 2, -1: 1]),
        ]))
        try roundTrip(TestOrcaReport(
            cpuUtilization: 0.5, memoryUtilization: 0.25, requestCost: ["db": 1.5, "cpu": 0], utilization: ["x": 1]))
        try roundTrip(LoadBalancerStatsResponse())
    }

    @Test func integerMapKeysEncodeInNumericOrder() throws {
        // MethodStats { rpcs_started: 1, result: {2: 3, -1: 4} }: -1 (a ten-byte varint) first.
        let stats = LoadBalancerAccumulatedStatsResponse.MethodStats(rpcsStarted: 1, result: [2: 3, -1: 4])
        let golden = bytes("0801" + "120d08ffffffffffffffffff011004" + "1204080210" + "03")
        #expect(hex(stats.serializedBytes()) == hex(golden))
        #expect(try LoadBalancerAccumulatedStatsResponse.MethodStats(serializedBytes: golden) == stats)
    }

    @Test func anAbsentMapValueMessageIsTheDefault() throws {
        // rpcs_by_method { key: "m" } with no value.
        let decoded = try LoadBalancerStatsResponse(serializedBytes: bytes("1a030a016d"))
        #expect(decoded.rpcsByMethod == ["m": LoadBalancerStatsResponse.RpcsByPeer()])
    }

    @Test func repeatedScalarsAndEnumsKeepOrderAndUnknownValues() throws {
        try roundTrip(ReconnectInfo(passed: true, backoffMs: [100, 0, -5, Int32.max]))
        let request = ClientConfigureRequest(
            types: [.unaryCall, .emptyCall, ClientConfigureRequest.RpcType(rawValue: 9)],
            metadata: [.init(type: .unaryCall, key: "k", value: "v"), .init()], timeoutSec: 30)
        try roundTrip(request)
        // types is packed: field 1, length 3, values 1 0 9.
        #expect(Array(request.serializedBytes().prefix(5)) == [0x0a, 0x03, 0x01, 0x00, 0x09])
        #expect(try ClientConfigureRequest(serializedBytes: request.serializedBytes()).types[2].rawValue == 9)
    }

    @Test func everyFieldOfTheInteropMessagesIsModelled() throws {
        let request = SimpleRequest(
            responseSize: 1, orcaPerQueryReport: TestOrcaReport(cpuUtilization: 0.75, requestCost: ["a": 2]))
        try roundTrip(request)
        try roundTrip(SimpleResponse(serverID: "s", grpclbRouteType: .backend, hostname: "h"))
        try roundTrip(StreamingOutputCallRequest(orcaOobReport: TestOrcaReport(utilization: ["u": 0.5])))
    }

    @Test func enumsCarryTheProtoDeclarations() {
        #expect(BuyerMessage.Platform.knownRawValues == 0...9)
        #expect(BuyerMessage.Platform.protoName == "replyintent.v1.Platform")
        #expect(BuyerMessage.Platform.protoValues.map(\.name).last == "PLATFORM_OTHER")
        #expect(GrpclbRouteType.backend.description == "GRPCLB_ROUTE_TYPE_BACKEND")
        #expect(GrpclbRouteType(rawValue: 3).description == "GrpclbRouteType(3)")
        #expect(!GrpclbRouteType(rawValue: 3).isKnown && GrpclbRouteType.fallback.isKnown)
        #expect(ClientConfigureRequest.RpcType.unaryCall.description == "UNARY_CALL")
        #expect(PayloadType.compressable.description == "COMPRESSABLE" && PayloadType.knownRawValues == 0...0)
    }

    @Test func stringChecksNameTheFieldInEveryMessage() {
        // Not UTF-8: SimpleResponse.username, a map key, a string inside a map's message value.
        #expect(refusedField(SimpleResponse.self, [0x12, 0x02, 0x61, 0xff]) == "username")
        #expect(refusedField(LoadBalancerStatsResponse.self, bytes("0a040a0261ff")) == "rpcs_by_peer[0].key")
        // rpcs_by_method { key: "m", value { rpcs_by_peer { key: 0xff } } }
        #expect(refusedField(LoadBalancerStatsResponse.self, bytes("1a0a0a016d12050a030a01ff"))
                    == "rpcs_by_method[m].rpcs_by_peer[0].key")
        // NUL: EchoStatus.message inside SimpleRequest, HealthCheckRequest.service, a nested message's string.
        #expect(refusedField(SimpleRequest.self, bytes("3a0412026100")) == "response_status.message")
        #expect(refusedField(HealthCheckRequest.self, [0x0a, 0x02, 0x00, 0x61]) == "service")
        #expect(refusedField(ClientConfigureRequest.self, bytes("12051a03610062")) == "metadata.value")
    }
}
