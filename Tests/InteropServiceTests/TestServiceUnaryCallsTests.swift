import InteropService
import Messages
import RPC
import Testing

@Suite struct TestServiceUnaryCallsTests {
    let harness = Harness()
    static let unaryCall = "/grpc.testing.TestService/UnaryCall"
    static let echoMetadata: Metadata = {
        var metadata = Metadata()
        metadata.add("x-grpc-test-echo-initial", "test_initial_metadata_value")
        metadata.add("x-grpc-test-echo-trailing-bin", binary: [0xab, 0xab, 0xab])
        metadata.add("unrelated", "not echoed")
        return metadata
    }()

    @Test func emptyCallReturnsEmptyMessage() throws {
        let (response, context) = try harness.callUnary("/grpc.testing.TestService/EmptyCall", [])
        #expect(response == [])
        #expect(context.responseMetadata.isEmpty)
    }

    @Test func emptyCallRejectsGarbage() async {
        await expectRPCError(.invalidArgument) {
            _ = try harness.callUnary("/grpc.testing.TestService/EmptyCall", [0x0a])
        }
    }

    @Test func largeUnaryReturnsZeros() throws {
        let request = SimpleRequest(responseSize: 314159, payload: .zeros(271828))
        let (bytes, context) = try harness.callUnary(Self.unaryCall, request.serializedBytes())
        let response = try SimpleResponse(serializedBytes: bytes)
        #expect(response.payload == .zeros(314159))
        #expect(context.compressResponse == false)
    }

    @Test func unary128MatchesThePerfFixture() throws {
        let request = SimpleRequest(responseSize: 128, payload: .zeros(128))
        let (bytes, _) = try harness.callUnary(Self.unaryCall, request.serializedBytes())
        #expect(bytes.count == 134)  // perf/unary128.bin validation: 139 bytes framed
    }

    @Test func zeroSizeHasNoPayload() throws {
        let (bytes, _) = try harness.callUnary(Self.unaryCall, SimpleRequest().serializedBytes())
        #expect(bytes == [])
    }

    @Test func garbageRequestIsInvalidArgumentNamingTheMessage() async {
        let error = await expectRPCError(.invalidArgument) {
            _ = try harness.callUnary(Self.unaryCall, [0x1a, 0x7f, 0x00])
        }
        #expect(error?.message.contains("grpc.testing.SimpleRequest") == true)
    }

    @Test(arguments: [true, false])
    func expectCompressedMatchingTheFlagSucceeds(flag: Bool) throws {
        let request = SimpleRequest(responseSize: 10, expectCompressed: BoolValue(flag))
        let (bytes, _) = try harness.callUnary(Self.unaryCall, request.serializedBytes(), compressed: flag)
        #expect(try SimpleResponse(serializedBytes: bytes).payload?.body.count == 10)
    }

    @Test(arguments: [true, false])
    func expectCompressedMismatchIsInvalidArgument(flag: Bool) async {
        let request = SimpleRequest(responseSize: 10, expectCompressed: BoolValue(flag))
        let error = await expectRPCError(.invalidArgument) {
            _ = try harness.callUnary(Self.unaryCall, request.serializedBytes(), compressed: !flag)
        }
        #expect(error?.message.contains(flag ? "Expected compressed" : "Expected uncompressed") == true)
    }

    @Test(arguments: [true, false])
    func responseCompressedSetsTheContext(flag: Bool) throws {
        let request = SimpleRequest(responseSize: 10, responseCompressed: BoolValue(flag))
        let (_, context) = try harness.callUnary(Self.unaryCall, request.serializedBytes())
        #expect(context.compressResponse == flag)
    }

    @Test func echoStatusFailsWithTheCodeAndMessage() async {
        let message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n"
        let request = SimpleRequest(responseStatus: EchoStatus(code: 2, message: message))
        let error = await expectRPCError(.unknown) {
            _ = try harness.callUnary(Self.unaryCall, request.serializedBytes(), metadata: Self.echoMetadata)
        }
        #expect(error?.message == message)
        #expect(error?.metadata.firstBinary("x-grpc-test-echo-trailing-bin") == [0xab, 0xab, 0xab])
    }

    @Test func echoStatusOKIsIgnored() throws {
        let request = SimpleRequest(responseSize: 1, responseStatus: EchoStatus(code: 0, message: "fine"))
        let (bytes, _) = try harness.callUnary(Self.unaryCall, request.serializedBytes())
        #expect(try SimpleResponse(serializedBytes: bytes).payload == .zeros(1))
    }

    @Test func echoesMetadataIntoHeadersAndTrailers() throws {
        let request = SimpleRequest(responseSize: 314159, payload: .zeros(271828))
        let (_, context) = try harness.callUnary(Self.unaryCall, request.serializedBytes(), metadata: Self.echoMetadata)
        #expect(context.responseMetadata.first("x-grpc-test-echo-initial") == "test_initial_metadata_value")
        #expect(context.responseMetadata.count == 1)
        #expect(context.trailingMetadata.firstBinary("x-grpc-test-echo-trailing-bin") == [0xab, 0xab, 0xab])
        #expect(context.trailingMetadata.count == 1)
    }

    @Test(arguments: [
        SimpleRequest(responseType: PayloadType(rawValue: 1), responseSize: 5),
        SimpleRequest(responseSize: -1),
        SimpleRequest(responseSize: Int32(TestService.maxResponsePayloadSize) + 1),
    ])
    func unsupportedPayloadRequestsAreInvalidArgument(request: SimpleRequest) async {
        await expectRPCError(.invalidArgument) {
            _ = try harness.callUnary(Self.unaryCall, request.serializedBytes())
        }
    }

    @Test func cacheableUnaryCallDiffersPerCallAndIsCacheable() throws {
        let path = "/grpc.testing.TestService/CacheableUnaryCall"
        let request = SimpleRequest(payload: Payload(body: Array("12345".utf8))).serializedBytes()
        let (first, context) = try harness.callUnary(path, request)
        let (second, _) = try harness.callUnary(path, request)
        let firstBody = try SimpleResponse(serializedBytes: first).payload?.body ?? []
        let secondBody = try SimpleResponse(serializedBytes: second).payload?.body ?? []
        #expect(!firstBody.isEmpty)
        #expect(firstBody.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        #expect(firstBody != secondBody)
        #expect(context.responseMetadata.first("cache-control") == "max-age=60, public")
    }

    @Test func unimplementedCallAndServiceAreUnimplemented() throws {
        for path in ["/grpc.testing.TestService/UnimplementedCall", "/grpc.testing.UnimplementedService/UnimplementedCall"] {
            guard case .failure(let error) = harness.router.resolve(path).map(\.handler) else {
                Issue.record("\(path) resolved to a handler")
                continue
            }
            #expect(error.code == .unimplemented)
        }
    }
}
