import HTTP2
import RPC
import Testing

@testable import GRPCTransport

struct ClientStreamTests {
    private func stream(metadata: Metadata = [:], encoding: MessageEncoding = .identity, deadline: UInt64? = nil) -> ClientStream {
        ClientStream(
            path: "/pkg.Service/Method", metadata: metadata, encoding: encoding, deadline: deadline,
            inbox: CallInbox(onDrained: {}), maxReceiveMessageSize: 1 << 20)
    }

    private func value(_ name: String, in headers: [HeaderField]) -> String? {
        headers.first { $0.name == name }?.value
    }

    @Test func plaintextRequestHeaders() {
        let configuration = ChannelConfiguration(host: "127.0.0.1", port: 50051)
        let headers = stream().requestHeaders(configuration: configuration, now: 0)
        #expect(Array(headers.prefix(4).map(\.name)) == [":method", ":scheme", ":path", ":authority"])
        #expect(value(":method", in: headers) == "POST")
        #expect(value(":scheme", in: headers) == "http")
        #expect(value(":path", in: headers) == "/pkg.Service/Method")
        #expect(value(":authority", in: headers) == "127.0.0.1:50051")
        #expect(value("content-type", in: headers) == "application/grpc")
        #expect(value("te", in: headers) == "trailers")
        #expect(value("grpc-accept-encoding", in: headers) == "identity,gzip")
        #expect(value("grpc-encoding", in: headers) == nil)
        #expect(value("grpc-timeout", in: headers) == nil)
    }

    @Test func tlsOverrideSetsSchemeAndAuthority() {
        let configuration = ChannelConfiguration(
            host: "127.0.0.1", port: 443, tls: ClientTLSConfiguration(serverNameOverride: "foo.test.google.fr"))
        let headers = stream().requestHeaders(configuration: configuration, now: 0)
        #expect(value(":scheme", in: headers) == "https")
        #expect(value(":authority", in: headers) == "foo.test.google.fr")
        #expect(configuration.tlsServerName == "foo.test.google.fr")
    }

    @Test func ipv6AuthorityIsBracketed() {
        #expect(ChannelConfiguration(host: "::1", port: 8080).authority == "[::1]:8080")
    }

    @Test func timeoutEncodingAndMetadata() {
        var metadata = Metadata()
        metadata.add("x-a", "b")
        metadata.add("x-c-bin", binary: [0xab, 0xab, 0xab])
        let configuration = ChannelConfiguration(host: "h", port: 1)
        let headers = stream(metadata: metadata, encoding: .gzip, deadline: 1_500_000_000)
            .requestHeaders(configuration: configuration, now: 500_000_000)
        #expect(value("grpc-encoding", in: headers) == "gzip")
        #expect(value("grpc-timeout", in: headers) == "1S")
        #expect(value("x-a", in: headers) == "b")
        #expect(value("x-c-bin", in: headers) == "q6ur")
    }

    @Test func deadlineInThePast() {
        let deadlineStream = stream(deadline: 10)
        #expect(deadlineStream.deadlinePassed(now: 10))
        #expect(!deadlineStream.deadlinePassed(now: 9))
        #expect(!stream().deadlinePassed(now: .max))
    }
}
