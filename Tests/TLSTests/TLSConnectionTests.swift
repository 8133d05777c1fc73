import Testing
@testable import TLS

/// Shuttles ciphertext between two in-memory endpoints until nothing moves.
struct Pair {
    let client: TLSConnection
    let server: TLSConnection
    var clientReceived: [UInt8] = []
    var serverReceived: [UInt8] = []
    var clientOpen = true
    var serverOpen = true

    init(client: TLSConnection, server: TLSConnection) {
        self.client = client
        self.server = server
    }

    enum Side: Equatable { case client, server }
    struct Failure: Error { let side: Side; let error: TLSError }

    mutating func pump() throws(Failure) {
        for _ in 0..<100 {
            var toServer: [UInt8] = []
            client.takeCiphertext(into: &toServer)
            server.receiveCiphertext(toServer[...])
            do { serverOpen = try server.readPlaintext(into: &serverReceived) } catch { throw Failure(side: .server, error: error) }
            var toClient: [UInt8] = []
            server.takeCiphertext(into: &toClient)
            client.receiveCiphertext(toClient[...])
            do { clientOpen = try client.readPlaintext(into: &clientReceived) } catch { throw Failure(side: .client, error: error) }
            if toServer.isEmpty && toClient.isEmpty && !client.hasCiphertext && !server.hasCiphertext { return }
        }
        Issue.record("pump did not settle")
    }

    static func make(
        server serverContext: TLSContext, client clientContext: TLSContext, serverName: String? = "localhost"
    ) throws -> Pair {
        let pair = Pair(
            client: try TLSConnection(context: clientContext, serverName: serverName),
            server: try TLSConnection(context: serverContext))
        try pair.client.startHandshake()
        return pair
    }
}

@Suite struct TLSConnectionTests {
    static func serverContext(clientCA: Bool = false, require: Bool = false) throws -> TLSContext {
        try TLSContext.server(
            certificateFile: TestPKI.path("server.pem"), privateKeyFile: TestPKI.path("server.key"),
            clientCAFile: clientCA ? TestPKI.path("ca.pem") : nil, requireClientCertificate: require)
    }

    static func clientContext(pki: String = TestPKI.main, withCertificate: Bool = false, alpn: [String] = ["h2"]) throws -> TLSContext {
        try TLSContext.client(
            caFile: TestPKI.path("ca.pem", in: pki),
            certificateFile: withCertificate ? TestPKI.path("client.pem") : nil,
            privateKeyFile: withCertificate ? TestPKI.path("client.key") : nil,
            alpnProtocols: alpn)
    }

    @Test func handshakeNegotiatesH2AndCarriesDataBothWays() throws {
        var pair = try Pair.make(server: Self.serverContext(), client: Self.clientContext())
        #expect(!pair.client.isHandshakeComplete)
        try pair.pump()
        #expect(pair.client.isHandshakeComplete && pair.server.isHandshakeComplete)
        #expect(pair.client.negotiatedProtocol == "h2")
        #expect(pair.server.negotiatedProtocol == "h2")
        #expect(pair.server.peerCertificateSubject == nil)
        #expect(pair.client.peerCertificateSubject?.contains("CN=localhost") == true)

        let request = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
        let response = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try pair.client.writePlaintext(request[...])
        try pair.pump()
        #expect(pair.serverReceived == request)
        try pair.server.writePlaintext(response[...])
        try pair.pump()
        #expect(pair.clientReceived == response)
    }

    @Test func plaintextWrittenBeforeTheHandshakeIsSentAfterIt() throws {
        var pair = try Pair.make(server: Self.serverContext(), client: Self.clientContext())
        try pair.client.writePlaintext(Array("early".utf8)[...])
        try pair.pump()
        #expect(pair.serverReceived == Array("early".utf8))
    }

    @Test(arguments: ["localhost", "foo.test.google.fr", "127.0.0.1", "::1"])
    func acceptedServerNames(_ name: String) throws {
        var pair = try Pair.make(server: Self.serverContext(), client: Self.clientContext(), serverName: name)
        try pair.pump()
        #expect(pair.client.isHandshakeComplete)
    }

    @Test(arguments: ["wrong.example.com", "test.google.fr", "a.b.test.google.fr", "127.0.0.2"])
    func hostnameMismatchFails(_ name: String) throws {
        var pair = try Pair.make(server: Self.serverContext(), client: Self.clientContext(), serverName: name)
        let failure = try #require(throws: Pair.Failure.self) { try pair.pump() }
        #expect(failure.side == .client)
        #expect(failure.error.operation == "handshake")
        #expect(failure.error.reason.contains("certificate verify failed"))
        #expect(failure.error.description.contains("mismatch"), "\(failure.error)")
    }

    @Test func wrongCAFailsWithAClearError() throws {
        var pair = try Pair.make(server: Self.serverContext(), client: Self.clientContext(pki: TestPKI.other))
        let failure = try #require(throws: Pair.Failure.self) { try pair.pump() }
        #expect(failure.side == .client)
        #expect(failure.error.description.contains("certificate verify failed"), "\(failure.error)")
        #expect(failure.error.description.contains("local issuer"), "\(failure.error)")
        // The client's alert reaches the server, which fails too.
        var alert: [UInt8] = []
        pair.client.takeCiphertext(into: &alert)
        pair.server.receiveCiphertext(alert[...])
        var ignored: [UInt8] = []
        #expect(throws: TLSError.self) { _ = try pair.server.readPlaintext(into: &ignored) }
        // And the failed endpoint stays failed.
        #expect(throws: TLSError.self) { _ = try pair.client.readPlaintext(into: &ignored) }
    }

    @Test func clientOfferingALPNWithoutH2IsRefused() throws {
        var pair = try Pair.make(server: Self.serverContext(), client: Self.clientContext(alpn: ["http/1.1"]))
        let failure = try #require(throws: Pair.Failure.self) { try pair.pump() }
        #expect(failure.side == .server)
        #expect(failure.error.reason.contains("no application protocol"), "\(failure.error)")
    }

    @Test func clientOfferingNoALPNIsAcceptedAsPriorKnowledge() throws {
        var pair = try Pair.make(server: Self.serverContext(), client: Self.clientContext(alpn: []))
        try pair.pump()
        #expect(pair.server.isHandshakeComplete)
        #expect(pair.server.negotiatedProtocol == nil)
    }

    @Test func h2IsPickedFromSeveralOffers() throws {
        var pair = try Pair.make(server: Self.serverContext(), client: Self.clientContext(alpn: ["http/1.1", "h2", "h3"]))
        try pair.pump()
        #expect(pair.server.negotiatedProtocol == "h2")
    }

    @Test func mutualTLSExposesTheVerifiedClientSubject() throws {
        var pair = try Pair.make(
            server: Self.serverContext(clientCA: true, require: true), client: Self.clientContext(withCertificate: true))
        try pair.pump()
        try pair.client.writePlaintext([1][...])
        try pair.pump()
        #expect(pair.server.isHandshakeComplete)
        #expect(pair.server.peerCertificateSubject == "CN=replyintent-test-client,O=ReplyIntent Test")
    }

    @Test func mutualTLSWithoutAClientCertificateFails() throws {
        var pair = try Pair.make(
            server: Self.serverContext(clientCA: true, require: true), client: Self.clientContext(withCertificate: false))
        let failure = try #require(throws: Pair.Failure.self) {
            try pair.pump()
            // TLS 1.3: the client finishes first and learns of the refusal on its next read.
            try pair.client.writePlaintext([1][...])
            try pair.pump()
        }
        #expect(failure.side == .server)
        #expect(failure.error.reason.contains("certificate"), "\(failure.error)")
    }

    @Test func closeNotifyEndsTheStream() throws {
        var pair = try Pair.make(server: Self.serverContext(), client: Self.clientContext())
        try pair.pump()
        try pair.client.writePlaintext(Array("last words".utf8)[...])
        pair.client.shutdown()
        try pair.pump()
        #expect(pair.serverReceived == Array("last words".utf8))
        #expect(!pair.serverOpen)
    }

    @Test func garbageCiphertextIsAnError() throws {
        let server = try TLSConnection(context: Self.serverContext())
        server.receiveCiphertext(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)[...])
        var out: [UInt8] = []
        let error = try #require(throws: TLSError.self) { _ = try server.readPlaintext(into: &out) }
        #expect(error.operation == "handshake")
        #expect(!error.reason.isEmpty)
    }
}

@Suite struct TLSContextTests {
    @Test func missingCertificateFileIsNamed() {
        let error = #expect(throws: TLSError.self) {
            try TLSContext.server(certificateFile: "/nonexistent/server.pem", privateKeyFile: TestPKI.path("server.key"))
        }
        #expect(error?.description.contains("/nonexistent/server.pem") == true)
    }

    @Test func keyThatDoesNotMatchTheCertificateIsRefused() {
        let error = #expect(throws: TLSError.self) {
            try TLSContext.server(certificateFile: TestPKI.path("server.pem"), privateKeyFile: TestPKI.path("client.key"))
        }
        #expect(error?.description.contains("client.key") == true, "\(String(describing: error))")
    }

    @Test func missingCAFileIsNamed() {
        let error = #expect(throws: TLSError.self) { try TLSContext.client(caFile: "/nonexistent/ca.pem") }
        #expect(error?.description.contains("/nonexistent/ca.pem") == true)
    }

    @Test func systemTrustStoreLoads() throws {
        _ = try TLSContext.client(caFile: nil)
    }
}
