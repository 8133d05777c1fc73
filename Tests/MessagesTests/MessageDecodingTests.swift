import Messages
import Testing

/// Bad input is rejected with a readable error; unknown fields are skipped.
@Suite struct MessageDecodingTests {
    static let golden = bytes(
        "10af96131a0512030000002001320208013a17080212137465737420737461747573206d65737361676542004801")

    @Test func unknownFieldsAreSkipped() throws {
        let expected = try SimpleRequest(serializedBytes: Self.golden)
        // field 99 varint 1; field 100 length-delimited "hi"; field 101 fixed32; field 102 fixed64.
        let unknown: [UInt8] = [0x98, 0x06, 0x01, 0xa2, 0x06, 0x02, 0x68, 0x69, 0xad, 0x06, 1, 2, 3, 4,
                                0xb1, 0x06, 1, 2, 3, 4, 5, 6, 7, 8]
        #expect(try SimpleRequest(serializedBytes: unknown + Self.golden + unknown) == expected)
        #expect(try Empty(serializedBytes: unknown) == Empty())
        #expect(try HealthCheckRequest(serializedBytes: unknown).service == "")
    }

    @Test(arguments: [
        [0x0a] as [UInt8],                 // length-delimited tag with no length
        [0x1a, 0x05, 0x12, 0x03, 0x00],    // payload claims 5 bytes, 3 follow
        [0x10],                            // varint tag with no value
        [0x10, 0xff, 0xff],                // unterminated varint
        [0x0f],                            // wire type 7 does not exist
        [0x00, 0x01],                      // field number 0 is invalid
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
    ])
    func malformedInputIsRejected(input: [UInt8]) {
        #expect(throws: MessageCodingError.self) { try SimpleRequest(serializedBytes: input) }
    }

    @Test func everyTruncationInsideAFieldIsRejected() {
        // Cutting the golden request inside a field must fail; cutting at a field boundary is a
        // valid (shorter) message. Boundaries of the top-level fields:
        let boundaries: Set<Int> = [0, 4, 11, 13, 17, 42, 44, 46]
        for length in 0..<Self.golden.count where !boundaries.contains(length) {
            #expect(throws: MessageCodingError.self, "prefix of \(length) bytes") {
                try SimpleRequest(serializedBytes: Array(Self.golden.prefix(length)))
            }
        }
        for length in boundaries {
            #expect(throws: Never.self) { try SimpleRequest(serializedBytes: Array(Self.golden.prefix(length))) }
        }
    }

    @Test func errorNamesTheMessageAndSize() {
        do {
            _ = try StreamingInputCallRequest(serializedBytes: [0x0a, 0x09, 0x01])
            Issue.record("decoding should have failed")
        } catch {
            #expect(error.messageType == "grpc.testing.StreamingInputCallRequest")
            #expect(error.byteCount == 3)
            #expect(error.description.contains("grpc.testing.StreamingInputCallRequest"))
            #expect(error.description.contains("3 bytes"))
        }
    }
}
