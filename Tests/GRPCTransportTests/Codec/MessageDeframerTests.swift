import Testing
import GZip
import RPC
@testable import GRPCTransport

@Suite struct MessageDeframerTests {
    static func frame(_ payload: [UInt8], flag: UInt8 = 0) -> [UInt8] {
        let n = payload.count
        return [flag, UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + payload
    }

    /// Three messages (one empty) in one byte string.
    static let wire = frame(Array("first".utf8)) + frame([]) + frame(Array(repeating: 0x5A, count: 40))
    static let expected: [[UInt8]] = [Array("first".utf8), [], Array(repeating: 0x5A, count: 40)]

    @Test func severalMessagesInOneChunk() throws {
        var deframer = MessageDeframer(maxMessageSize: 100)
        var out: [ReceivedMessage] = []
        try deframer.process(Self.wire[...], into: &out)
        #expect(out.map(\.bytes) == Self.expected)
        #expect(out.allSatisfy { !$0.wasCompressed })
        #expect(!deframer.hasPartialMessage)
        try deframer.finish()
    }

    @Test(arguments: 0...wire.count)
    func splitAtEveryByteBoundary(_ cut: Int) throws {
        var deframer = MessageDeframer(maxMessageSize: 100)
        var out: [ReceivedMessage] = []
        try deframer.process(Self.wire[..<cut], into: &out)
        try deframer.process(Self.wire[cut...], into: &out)
        #expect(out.map(\.bytes) == Self.expected)
        try deframer.finish()
    }

    @Test func oneByteAtATime() throws {
        var deframer = MessageDeframer(maxMessageSize: 100)
        var out: [ReceivedMessage] = []
        for index in Self.wire.indices {
            try deframer.process(Self.wire[index..<(index + 1)], into: &out)
        }
        #expect(out.map(\.bytes) == Self.expected)
        try deframer.finish()
    }

    @Test func emptyChunksAreHarmless() throws {
        var deframer = MessageDeframer(maxMessageSize: 100)
        var out: [ReceivedMessage] = []
        try deframer.process([], into: &out)
        try deframer.process(Self.wire[0..<3], into: &out)
        try deframer.process([], into: &out)
        try deframer.process(Self.wire[3...], into: &out)
        #expect(out.map(\.bytes) == Self.expected)
    }

    @Test func zeroLengthMessageAlone() throws {
        var deframer = MessageDeframer(maxMessageSize: 0)
        var out: [ReceivedMessage] = []
        try deframer.process([0, 0, 0, 0, 0], into: &out)
        #expect(out == [ReceivedMessage(bytes: [])])
        try deframer.finish()
    }

    @Test func declaredLengthOverLimitFailsFromThePrefixAlone() throws {
        var deframer = MessageDeframer(maxMessageSize: 1000)
        var out: [ReceivedMessage] = []
        // Only the prefix of a 4 GiB message: rejected before any body is buffered.
        let error = try #require(throws: RPCError.self) { try deframer.process([0, 0xFF, 0xFF, 0xFF, 0xFF], into: &out) }
        #expect(error.code == .resourceExhausted)
        #expect(error.message == "received message larger than max (4294967295 vs. 1000)")
        // Stays failed.
        #expect(throws: RPCError.self) { try deframer.process([0, 0, 0, 0, 0], into: &out) }
        #expect(throws: RPCError.self) { try deframer.finish() }
    }

    @Test func limitIsInclusive() throws {
        var deframer = MessageDeframer(maxMessageSize: 3)
        var out: [ReceivedMessage] = []
        try deframer.process(Self.frame([1, 2, 3])[...], into: &out)
        #expect(out.count == 1)
        let error = try #require(throws: RPCError.self) { try deframer.process(Self.frame([1, 2, 3, 4])[...], into: &out) }
        #expect(error.code == .resourceExhausted)
    }

    @Test func messagesBeforeAnErrorAreDelivered() throws {
        var deframer = MessageDeframer(maxMessageSize: 5)
        var out: [ReceivedMessage] = []
        let wire = Self.frame([1]) + Self.frame(Array(repeating: 0, count: 6))
        #expect(throws: RPCError.self) { try deframer.process(wire[...], into: &out) }
        #expect(out.map(\.bytes) == [[1]])
    }

    @Test(arguments: [1, 4, 5, 6, 9])
    func truncatedTrailingMessageFailsFinish(_ length: Int) throws {
        var deframer = MessageDeframer(maxMessageSize: 100)
        var out: [ReceivedMessage] = []
        try deframer.process(Self.frame(Array(repeating: 1, count: 5))[..<length], into: &out)
        #expect(out.isEmpty)
        #expect(deframer.hasPartialMessage)
        let error = try #require(throws: RPCError.self) { try deframer.finish() }
        #expect(error.code == .internal)
        #expect(error.message.contains("stream ended in the middle of a message"))
    }

    @Test func gzipMessageIsDecompressed() throws {
        let payload = Array(repeating: UInt8(ascii: "q"), count: 5000)
        let wire = Self.frame(try GZip.compress(payload), flag: 1) + Self.frame([7])
        for cut in [0, 3, 5, 20, wire.count - 6, wire.count] {
            var deframer = MessageDeframer(maxMessageSize: 5000, encoding: "gzip")
            var out: [ReceivedMessage] = []
            try deframer.process(wire[..<cut], into: &out)
            try deframer.process(wire[cut...], into: &out)
            #expect(out == [ReceivedMessage(bytes: payload, wasCompressed: true), ReceivedMessage(bytes: [7])])
        }
    }

    @Test func decompressedSizeOverLimitIsResourceExhausted() throws {
        let wire = Self.frame(try GZip.compress(Array(repeating: 0, count: 100_000)), flag: 1)
        var deframer = MessageDeframer(maxMessageSize: 1000, encoding: "gzip")
        var out: [ReceivedMessage] = []
        let error = try #require(throws: RPCError.self) { try deframer.process(wire[...], into: &out) }
        #expect(error.code == .resourceExhausted)
    }

    @Test func corruptGzipIsInternal() throws {
        var deframer = MessageDeframer(maxMessageSize: 1000, encoding: "gzip")
        var out: [ReceivedMessage] = []
        let error = try #require(throws: RPCError.self) { try deframer.process(Self.frame([1, 2, 3, 4], flag: 1)[...], into: &out) }
        #expect(error.code == .internal)
    }

    @Test(arguments: [nil, "identity"] as [String?])
    func compressedFlagWithoutEncodingIsInternal(_ encoding: String?) throws {
        var deframer = MessageDeframer(maxMessageSize: 1000, encoding: encoding)
        var out: [ReceivedMessage] = []
        let error = try #require(throws: RPCError.self) { try deframer.process(Self.frame([1], flag: 1)[...], into: &out) }
        #expect(error.code == .internal)
    }

    @Test func compressedFlagWithUnsupportedEncodingIsUnimplemented() throws {
        var deframer = MessageDeframer(maxMessageSize: 1000, encoding: "snappy")
        var out: [ReceivedMessage] = []
        // Uncompressed messages are fine under any declared encoding.
        try deframer.process(Self.frame([1])[...], into: &out)
        #expect(out.count == 1)
        let error = try #require(throws: RPCError.self) { try deframer.process(Self.frame([1], flag: 1)[...], into: &out) }
        #expect(error.code == .unimplemented)
        #expect(error.message.contains("snappy"))
    }

    @Test func invalidFlagByteIsInternal() throws {
        var deframer = MessageDeframer(maxMessageSize: 1000, encoding: "gzip")
        var out: [ReceivedMessage] = []
        let error = try #require(throws: RPCError.self) { try deframer.process(Self.frame([1], flag: 2)[...], into: &out) }
        #expect(error.code == .internal)
    }
}
