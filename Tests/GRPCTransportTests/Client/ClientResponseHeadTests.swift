import HTTP2
import RPC
import Testing

@testable import GRPCTransport

struct ClientResponseHeadTests {
    private let okHeaders = [HeaderField(":status", "200"), HeaderField("content-type", "application/grpc")]

    @Test func normalHeadersCarryMetadataAndEncoding() {
        let fields = okHeaders + [HeaderField("grpc-encoding", "gzip"), HeaderField("x-echo", "hi"), HeaderField("x-bin", "AQID")]
        guard case .headers(let metadata, let encoding) = ClientResponseHead.parseHeaders(fields, endStream: false) else {
            Issue.record("not parsed as headers")
            return
        }
        #expect(encoding == "gzip")
        #expect(metadata.first("x-echo") == "hi")
        #expect(metadata.firstBinary("x-bin") == [1, 2, 3])
        #expect(metadata.count == 2)
    }

    @Test func identityEncodingMeansNone() {
        let fields = okHeaders + [HeaderField("grpc-encoding", "identity")]
        #expect(ClientResponseHead.parseHeaders(fields, endStream: false) == .headers(metadata: [:], encoding: nil))
    }

    @Test func trailersOnlyGivesTheStatus() {
        let fields = okHeaders + [HeaderField("grpc-status", "12"), HeaderField("grpc-message", "no%20such%20method")]
        #expect(
            ClientResponseHead.parseHeaders(fields, endStream: true)
                == .trailersOnly(status: Status(code: .unimplemented, message: "no such method"), metadata: [:]))
    }

    @Test(arguments: [(404, Status.Code.unimplemented), (503, .unavailable), (401, .unauthenticated), (500, .unknown)])
    func httpErrorsMapToStatusCodes(httpStatus: Int, code: Status.Code) {
        let fields = [HeaderField(":status", "\(httpStatus)"), HeaderField("content-type", "text/html")]
        guard case .invalid(let status) = ClientResponseHead.parseHeaders(fields, endStream: true) else {
            Issue.record("HTTP \(httpStatus) accepted")
            return
        }
        #expect(status.code == code)
        #expect(status.message.contains("\(httpStatus)"))
    }

    @Test func nonGRPCContentTypeIsUnknown() {
        let fields = [HeaderField(":status", "200"), HeaderField("content-type", "text/html")]
        guard case .invalid(let status) = ClientResponseHead.parseHeaders(fields, endStream: false) else {
            Issue.record("text/html accepted")
            return
        }
        #expect(status.code == .unknown)
    }

    @Test(arguments: ["application/grpc", "application/grpc+proto", "application/grpc;charset=utf-8"])
    func grpcContentTypes(value: String) {
        #expect(ClientResponseHead.isGRPCContentType(value))
    }

    @Test func trailersDecodePercentEncodedMessages() {
        let (status, metadata) = ClientResponseHead.parseTrailers([
            HeaderField("grpc-status", "2"), HeaderField("grpc-message", "%E2%98%BA%0A"),
            HeaderField("x-grpc-test-echo-trailing-bin", "q6ur"),
        ])
        #expect(status == Status(code: .unknown, message: "\u{263A}\n"))
        #expect(metadata.firstBinary("x-grpc-test-echo-trailing-bin") == [0xab, 0xab, 0xab])
    }

    @Test func trailersWithoutStatusAreInternal() {
        let (status, _) = ClientResponseHead.parseTrailers([HeaderField("x-a", "b")])
        #expect(status.code == .internal)
        let (bad, _) = ClientResponseHead.parseTrailers([HeaderField("grpc-status", "abc")])
        #expect(bad.code == .internal)
        #expect(bad.message.contains("abc"))
    }

    @Test(arguments: [
        (HTTP2ErrorCode.cancel, Status.Code.cancelled), (HTTP2ErrorCode.refusedStream, .unavailable),
        (HTTP2ErrorCode.enhanceYourCalm, .resourceExhausted), (HTTP2ErrorCode.protocolError, .internal),
    ])
    func resetsMapToStatusCodes(errorCode: UInt32, code: Status.Code) {
        #expect(ClientResponseHead.status(forReset: errorCode).code == code)
    }
}
