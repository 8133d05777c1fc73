import Testing
@testable import GRPCTransport

@Suite struct MessageEncodingTests {
    @Test(arguments: [("gzip", MessageEncoding.gzip), ("GZIP", .gzip), (" gzip ", .gzip), ("identity", .identity)])
    func parses(_ text: String, _ encoding: MessageEncoding) {
        #expect(MessageEncoding(headerValue: text) == encoding)
    }

    @Test(arguments: ["deflate", "snappy", "", "gzip,identity"])
    func rejectsUnknown(_ text: String) {
        #expect(MessageEncoding(headerValue: text) == nil)
    }

    @Test func acceptEncodingList() {
        #expect(MessageEncoding.parseAcceptEncoding("deflate, gzip ,identity") == [.gzip, .identity])
        #expect(MessageEncoding.parseAcceptEncoding("") == [])
        #expect(MessageEncoding.acceptEncodingHeaderValue == "identity,gzip")
    }
}
