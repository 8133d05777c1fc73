import Testing
import HTTP2
import RPC
@testable import GRPCTransport

@Suite struct MetadataCodingTests {
    @Test(arguments: [
        ":path", ":authority", ":status", "content-type", "te", "grpc-timeout", "grpc-encoding",
        "grpc-accept-encoding", "grpc-status", "grpc-message", "grpc-trace-bin", "",
    ])
    func reservedNames(_ name: String) {
        #expect(MetadataCoding.isReserved(name))
    }

    @Test(arguments: ["grpc-status-details-bin", "user-agent", "x-custom", "authorization", "grpcfoo", "x-grpc-test-echo-initial", "cache-control"])
    func metadataNames(_ name: String) {
        #expect(!MetadataCoding.isReserved(name))
    }

    @Test func decodeFiltersReservedAndDecodesBinary() {
        let fields = [
            HeaderField(":method", "POST"), HeaderField(":path", "/a.B/C"), HeaderField("content-type", "application/grpc"),
            HeaderField("te", "trailers"), HeaderField("grpc-timeout", "1S"), HeaderField("grpc-encoding", "gzip"),
            HeaderField("x-grpc-test-echo-initial", "test_initial_metadata_value"),
            HeaderField("x-grpc-test-echo-trailing-bin", "q6ur"),
            HeaderField("padded-bin", "AQ=="),
            HeaderField("x-dup", "1"), HeaderField("x-dup", "2"),
        ]
        let metadata = MetadataCoding.decode(fields)
        #expect(Array(metadata) == [
            .init(name: "x-grpc-test-echo-initial", value: .string("test_initial_metadata_value")),
            .init(name: "x-grpc-test-echo-trailing-bin", value: .binary([0xAB, 0xAB, 0xAB])),
            .init(name: "padded-bin", value: .binary([1])),
            .init(name: "x-dup", value: .string("1")),
            .init(name: "x-dup", value: .string("2")),
        ])
        #expect(MetadataCoding.invalidBinaryField(in: fields) == nil)
    }

    @Test func invalidBase64IsLeftOutAndReported() {
        let fields = [HeaderField("bad-bin", "!!!"), HeaderField("x-ok", "1")]
        #expect(Array(MetadataCoding.decode(fields)) == [.init(name: "x-ok", value: .string("1"))])
        #expect(MetadataCoding.invalidBinaryField(in: fields) == "bad-bin")
    }

    @Test func tuplePairsWorkToo() {
        var pairs: [(String, String)] = []
        var metadata = Metadata()
        metadata.add("x-a", "1")
        metadata.add("x-b-bin", binary: [0, 1, 2, 255])
        MetadataCoding.encode(metadata, into: &pairs)
        #expect(pairs.map { "\($0.0)=\($0.1)" } == ["x-a=1", "x-b-bin=AAEC/w"])
        #expect(MetadataCoding.decode(pairs) == metadata)
    }

    @Test func encodeRoundTripsThroughHeaderFields() {
        var metadata = Metadata()
        metadata.add("x-grpc-test-echo-initial", "test_initial_metadata_value")
        metadata.add("x-grpc-test-echo-trailing-bin", binary: [0xAB, 0xAB, 0xAB])
        metadata.add("grpc-status-details-bin", binary: [8, 3])
        var fields: [HeaderField] = [HeaderField(":status", "200")]
        MetadataCoding.encode(metadata, into: &fields)
        #expect(fields.count == 4)
        #expect(fields[2] == HeaderField("x-grpc-test-echo-trailing-bin", "q6ur"))
        #expect(MetadataCoding.decode(fields) == metadata)
        #expect(MetadataCoding.validate(metadata) == nil)
    }

    static let invalid: [(String, Metadata.Entry.Value)] = [
        ("grpc-status", .string("0")),
        (":path", .string("/x")),
        ("content-type", .string("text/plain")),
        ("bad name", .string("v")),
        ("x-text", .string("caf\u{E9}")),
        ("x-text", .string("line\nbreak")),
        ("x-bytes", .binary([1])),
        ("x-text-bin", .string("abc")),
    ]

    @Test(arguments: invalid)
    func invalidEntriesAreReportedAndNotSent(_ name: String, _ value: Metadata.Entry.Value) throws {
        var metadata = Metadata()
        metadata.add(Metadata.Entry(name: name, value: value))
        metadata.add("x-fine", "ok")
        let error = try #require(MetadataCoding.validate(metadata))
        #expect(error.code == .internal)
        #expect(error.message.contains(name))
        var fields: [HeaderField] = []
        MetadataCoding.encode(metadata, into: &fields)
        #expect(fields == [HeaderField("x-fine", "ok")])
    }
}
