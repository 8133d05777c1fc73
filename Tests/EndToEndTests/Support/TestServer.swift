import Foundation
import GRPCTransport
import InteropService
import RPC
import TLS
import Testing

/// A real server on 127.0.0.1 port 0 (h2c or TLS) and a client channel connected to it.
enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case h2c
    case tls

    var testDescription: String { rawValue }
}

struct TestServer: Sendable {
    let server: GRPCServer
    let port: Int
    let transport: Transport

    /// Starts `router` (default: the interop TestService) on a fresh port.
    static func start(
        _ transport: Transport, router: Router = TestServer.interopRouter(), port: Int = 0, requireClientCertificate: Bool = false,
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) throws -> TestServer {
        var configuration = ServerConfiguration()
        configuration.threads = 1
        configuration.maxReceiveMessageSize = 16 << 20
        switch transport {
        case .h2c:
            configuration.plaintext = ("127.0.0.1", port)
        case .tls:
            let certificates = try TestCertificates.shared()
            configuration.plaintext = nil
            configuration.tls = ServerConfiguration.TLSListener(
                host: "127.0.0.1", port: port,
                context: try TLSContext.server(
                    certificateFile: certificates.serverCertificate, privateKeyFile: certificates.serverKey,
                    clientCAFile: requireClientCertificate ? certificates.caCertificate : nil,
                    requireClientCertificate: requireClientCertificate))
        }
        configure(&configuration)
        let server = try GRPCServer(configuration: configuration, router: router)
        return TestServer(server: server, port: server.addresses[0].port, transport: transport)
    }

    static func interopRouter() -> Router {
        var router = Router()
        router.register(TestService())
        return router
    }

    /// A channel to this server (TLS: trusting the test CA, expecting the name `localhost`).
    func makeChannel(serverNameOverride: String? = nil) throws -> GRPCChannel {
        try GRPCChannel(configuration: channelConfiguration(serverNameOverride: serverNameOverride))
    }

    func channelConfiguration(serverNameOverride: String? = nil) throws -> ChannelConfiguration {
        switch transport {
        case .h2c:
            return ChannelConfiguration(host: "127.0.0.1", port: port)
        case .tls:
            let certificates = try TestCertificates.shared()
            return ChannelConfiguration(
                host: "127.0.0.1", port: port,
                tls: ClientTLSConfiguration(caFile: certificates.caCertificate, serverNameOverride: serverNameOverride ?? "localhost"))
        }
    }

    func stop() { server.shutdown() }
}

/// Runs `body` with a server and a channel to it, then closes both.
func withServer(
    _ transport: Transport, router: Router = TestServer.interopRouter(),
    _ body: (TestServer, GRPCChannel) async throws -> Void
) async throws {
    let server = try TestServer.start(transport, router: router)
    defer { server.stop() }
    let channel = try server.makeChannel()
    defer { channel.close() }
    try await body(server, channel)
}
