import Foundation
import Messages
import Testing

/// Inputs the `messages` fuzz target found (Fuzz/Regressions/messages, replayed by Tools/fuzz.sh
/// too). Each file is the target's input: one byte naming the message type, then the bytes.
@Suite struct FuzzRegressionTests {
    static func regression(_ name: String) throws -> [UInt8] {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return Array(try Data(contentsOf: url.appendingPathComponent("Fuzz/Regressions/messages/\(name)")))
    }

    /// A StreamingOutputCallRequest of 19 KB holding ~5,400 response_parameters (tags spelled
    /// with a redundant varint byte): it decoded, but encoding it again overflowed the stack, one
    /// nested frame per element.
    @Test func manyResponseParametersEncodeAgain() throws {
        let input = try Self.regression("many-response-parameters")
        let request = try StreamingOutputCallRequest(serializedBytes: Array(input.dropFirst()))
        #expect(request.responseParameters.count > 5_000)
        let encoded = request.serializedBytes()
        #expect(try StreamingOutputCallRequest(serializedBytes: encoded) == request)
    }

    /// 200,000 elements, every kind of `compressed`: the same bytes as encoding each on its own.
    @Test func aLongRepeatedFieldEncodesElementByElement() throws {
        let parameters = (0..<200_000).map { index in
            ResponseParameters(
                size: Int32(index % 1000), intervalUs: Int32(index % 7),
                compressed: [nil, BoolValue(true), BoolValue(false)][index % 3])
        }
        let request = StreamingOutputCallRequest(responseParameters: parameters)
        let encoded = request.serializedBytes()
        var expected: [UInt8] = []
        for element in parameters.prefix(3) {
            let bytes = element.serializedBytes()
            expected += [0x12, UInt8(bytes.count)] + bytes
        }
        #expect(Array(encoded.prefix(expected.count)) == expected)
        #expect(try StreamingOutputCallRequest(serializedBytes: encoded) == request)
    }
}
