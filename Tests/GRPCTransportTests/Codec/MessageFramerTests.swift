import Testing
import GZip
import RPC
@testable import GRPCTransport

@Suite struct MessageFramerTests {
    @Test func identityPrefixIsFlagAndBigEndianLength() throws {
        let framed = try MessageFramer().frame(Array(repeating: UInt8(0xAB), count: 0x0102))
        #expect(Array(framed.prefix(5)) == [0, 0, 0, 0x01, 0x02])
        #expect(framed.count == 5 + 0x0102)
        #expect(framed.dropFirst(5).allSatisfy { $0 == 0xAB })
    }

    @Test func emptyMessageIsJustThePrefix() throws {
        #expect(try MessageFramer().frame([UInt8]()) == [0, 0, 0, 0, 0])
        #expect(try MessageFramer(encoding: .gzip, minimumCompressionSize: 1).frame([UInt8]()) == [0, 0, 0, 0, 0])
    }

    @Test func appendsAfterExistingBytes() throws {
        var buffer: [UInt8] = [9, 9]
        let framer = MessageFramer()
        try framer.append([1, 2, 3], into: &buffer)
        try framer.append(ArraySlice([4]), into: &buffer)
        #expect(buffer == [9, 9, 0, 0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 0, 1, 4])
    }

    @Test func gzipSetsTheFlagAndCompresses() throws {
        let message = Array(repeating: UInt8(ascii: "z"), count: 10_000)
        let framed = try MessageFramer(encoding: .gzip).frame(message)
        #expect(framed[0] == 1)
        let length = Int(framed[1]) << 24 | Int(framed[2]) << 16 | Int(framed[3]) << 8 | Int(framed[4])
        #expect(length == framed.count - 5)
        #expect(length < 200)
        #expect(try GZip.decompress(Array(framed.dropFirst(5)), limit: 10_000) == message)
    }

    @Test func perMessageOptOutAndThresholdSendUncompressed() throws {
        let framer = MessageFramer(encoding: .gzip, minimumCompressionSize: 100)
        #expect(try framer.frame(Array(repeating: 1, count: 500), compress: false)[0] == 0)
        #expect(try framer.frame(Array(repeating: 1, count: 99))[0] == 0)
        #expect(try framer.frame(Array(repeating: 1, count: 100))[0] == 1)
        #expect(try MessageFramer(encoding: .identity).frame(Array(repeating: 1, count: 500))[0] == 0)
    }

    @Test func framerAndDeframerRoundTrip() throws {
        let messages: [[UInt8]] = [[], [1], Array(repeating: 7, count: 70_000), Array("hello".utf8)]
        for encoding in MessageEncoding.allCases {
            var wire: [UInt8] = []
            let framer = MessageFramer(encoding: encoding)
            for message in messages { try framer.append(message, into: &wire) }
            var deframer = MessageDeframer(maxMessageSize: 1 << 20, encoding: encoding)
            var received: [ReceivedMessage] = []
            try deframer.process(wire[...], into: &received)
            try deframer.finish()
            #expect(received.map(\.bytes) == messages, "\(encoding)")
        }
    }
}
