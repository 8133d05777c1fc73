@testable import GRPCTransport
import HTTP2
import RPC
import Testing

@Suite struct ServerRequestHeadTests {
    static func fields(
        method: String = "POST", contentType: String? = "application/grpc", te: String? = "trailers",
        extra: [HeaderField] = []
    ) -> [HeaderField] {
        RawClient.headers(path: "/pkg.Svc/Call", method: method, contentType: contentType, te: te, extra: extra)
    }

    @Test func acceptsAWellFormedRequest() throws {
        let head = try ServerRequestHead.parse(
            Self.fields(extra: [
                HeaderField("grpc-timeout", "250m"), HeaderField("grpc-encoding", "gzip"),
                HeaderField("grpc-accept-encoding", "identity, gzip"), HeaderField("x-user", "ada"),
                HeaderField("x-blob-bin", "AAEC"),
            ])
        ).get()
        #expect(head.path == "/pkg.Svc/Call")
        #expect(head.timeoutNanoseconds == 250_000_000)
        #expect(head.requestEncoding == "gzip")
        #expect(head.clientAcceptsGzip)
        #expect(head.metadata.first("x-user") == "ada")
        #expect(head.metadata.firstBinary("x-blob-bin") == [0, 1, 2])
        #expect(head.metadata.first("te") == nil)
    }

    @Test(arguments: ["application/grpc", "application/grpc+proto", "application/grpc+json", "application/grpc;charset=utf-8"])
    func grpcContentTypes(_ value: String) {
        #expect(ServerRequestHead.isGRPCContentType(value))
    }

    @Test(arguments: ["application/json", "application/grpcx", "text/plain", "", "application/grp"])
    func otherContentTypes(_ value: String) {
        #expect(!ServerRequestHead.isGRPCContentType(value))
    }

    @Test(arguments: [
        (fields(method: "GET"), 405, Status.Code.internal),
        (fields(contentType: "application/json"), 415, Status.Code.internal),
        (fields(contentType: nil), 415, Status.Code.internal),
        (fields(te: nil), 400, Status.Code.internal),
        (fields(te: "gzip"), 400, Status.Code.internal),
        (fields(extra: [HeaderField("grpc-timeout", "1x")]), 200, Status.Code.internal),
        (fields(extra: [HeaderField("grpc-timeout", "123456789S")]), 200, Status.Code.internal),
        (fields(extra: [HeaderField("grpc-encoding", "snappy")]), 200, Status.Code.unimplemented),
        (fields(extra: [HeaderField("x-bad-bin", "%%%")]), 200, Status.Code.internal),
    ])
    func rejections(_ fields: [HeaderField], _ httpStatus: Int, _ code: Status.Code) {
        guard case .failure(let rejection) = ServerRequestHead.parse(fields) else {
            Issue.record("accepted \(fields)")
            return
        }
        #expect(rejection.httpStatus == httpStatus)
        #expect(rejection.error.code == code)
        #expect(!rejection.error.message.isEmpty)
    }
}
