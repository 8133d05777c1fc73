import Messages
import Testing

/// Golden bytes were produced by the Python protobuf package (7.36) from the same
/// grpc/testing/messages.proto, so they pin our encoding to the reference implementation.
@Suite struct TestingMessagesTests {
    @Test func emptyEncodesToNothing() throws {
        #expect(Empty().serializedBytes() == [])
        #expect(try Empty(serializedBytes: []) == Empty())
    }

    @Test func simpleRequestMatchesGoldenBytes() throws {
        let request = SimpleRequest(
            responseSize: 314159, payload: Payload(body: [0, 0, 0]), fillUsername: true,
            responseCompressed: true, responseStatus: EchoStatus(code: 2, message: "test status message"),
            expectCompressed: false, fillServerID: true)
        let golden = bytes(
            "10af96131a0512030000002001320208013a17080212137465737420737461747573206d65737361676542004801")
        #expect(hex(request.serializedBytes()) == hex(golden))
        #expect(try SimpleRequest(serializedBytes: golden) == request)
    }

    @Test func absentAndDefaultSubmessagesStayDistinct() throws {
        // expect_compressed { value: false } is present (0x42 0x00); nil is absent.
        let present = SimpleRequest(expectCompressed: false)
        #expect(present.serializedBytes() == [0x42, 0x00])
        #expect(try SimpleRequest(serializedBytes: [0x42, 0x00]).expectCompressed == BoolValue(false))
        #expect(try SimpleRequest(serializedBytes: []).expectCompressed == nil)
    }

    @Test func simpleResponseMatchesGoldenBytes() throws {
        let response = SimpleResponse(payload: Payload(body: [0, 0, 0, 0]), username: "u", hostname: "hé")
        let golden = bytes("0a06120400000000120175320368c3a9")
        #expect(hex(response.serializedBytes()) == hex(golden))
        #expect(try SimpleResponse(serializedBytes: golden) == response)
        // An empty payload that is present still encodes (0x0a 0x00).
        #expect(SimpleResponse(payload: Payload()).serializedBytes() == [0x0a, 0x00])
    }

    @Test func unaryResponseOf128BytesMatchesThePerfFixture() throws {
        // perf/unary128.bin's response: 134 bytes = SimpleResponse { payload { body: 128 zeros } }.
        let encoded = SimpleResponse(payload: .zeros(128)).serializedBytes()
        #expect(encoded.count == 134)
        #expect(Array(encoded.prefix(6)) == [0x0a, 0x83, 0x01, 0x12, 0x80, 0x01])
    }

    @Test func streamingOutputCallRequestMatchesGoldenBytes() throws {
        let request = StreamingOutputCallRequest(
            responseParameters: [
                ResponseParameters(size: 31415),
                ResponseParameters(size: 9, intervalUs: 100, compressed: true),
            ],
            payload: Payload(body: Array("ab".utf8)), responseStatus: EchoStatus(code: 5, message: "x"))
        let golden = bytes("120408b7f5011208080910641a0208011a04120261623a050805120178")
        #expect(hex(request.serializedBytes()) == hex(golden))
        #expect(try StreamingOutputCallRequest(serializedBytes: golden) == request)
    }

    @Test func streamingInputCallMessagesMatchGoldenBytes() throws {
        let request = StreamingInputCallRequest(payload: Payload(body: [1, 2]), expectCompressed: true)
        #expect(hex(request.serializedBytes()) == "0a041202010212020801")
        #expect(try StreamingInputCallRequest(serializedBytes: bytes("0a041202010212020801")) == request)
        let response = StreamingInputCallResponse(aggregatedPayloadSize: 74922)
        #expect(hex(response.serializedBytes()) == "08aac904")
        #expect(try StreamingInputCallResponse(serializedBytes: bytes("08aac904")) == response)
    }

    @Test func streamingOutputCallResponseMatchesGoldenBytes() throws {
        let response = StreamingOutputCallResponse(payload: .zeros(2))
        #expect(hex(response.serializedBytes()) == "0a0412020000")
        #expect(try StreamingOutputCallResponse(serializedBytes: bytes("0a0412020000")) == response)
    }

    @Test(arguments: [0, 1, 127, 128, 16_383, 16_384, 314_159])
    func largePayloadsRoundTrip(size: Int) throws {
        var body = [UInt8](repeating: 0, count: size)
        for index in body.indices { body[index] = UInt8(truncatingIfNeeded: index &* 31) }
        let request = SimpleRequest(responseSize: Int32(size), payload: Payload(body: body))
        #expect(try SimpleRequest(serializedBytes: request.serializedBytes()) == request)
    }

    @Test func unknownPayloadTypeRoundTrips() throws {
        let payload = Payload(type: PayloadType(rawValue: 7), body: [9])
        let decoded = try Payload(serializedBytes: payload.serializedBytes())
        #expect(decoded.type.rawValue == 7)
        #expect(decoded == payload)
    }

    @Test func manyResponseParametersRoundTrip() throws {
        let parameters = (0..<500).map { ResponseParameters(size: Int32($0), compressed: BoolValue($0 % 2 == 0)) }
        let request = StreamingOutputCallRequest(responseParameters: parameters)
        #expect(try StreamingOutputCallRequest(serializedBytes: request.serializedBytes()) == request)
    }

    @Test func echoStatusKeepsUnicodeMessages() throws {
        // The special_status_message interop case sends this text.
        let status = EchoStatus(code: 2, message: "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n")
        #expect(try EchoStatus(serializedBytes: status.serializedBytes()) == status)
    }
}
