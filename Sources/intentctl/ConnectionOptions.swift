internal import ArgumentParser
internal import GRPCTransport

/// Where to connect, spelled as the gRPC interop clients spell it (underscores), so the same
/// command line works for every client in the interop matrix.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("server_host"), help: "The server's host name or address.")
    var serverHost = "127.0.0.1"

    @Option(name: .customLong("server_port"), help: "The server's port.")
    var serverPort: Int

    @Flag(name: .customLong("use_tls"), help: "Connect with TLS (ALPN h2) instead of plaintext HTTP/2.")
    var useTLS = false

    @Option(name: .customLong("ca_file"), help: "PEM file of the CA to trust (TLS); default: the system's CAs.")
    var caFile: String?

    @Option(
        name: .customLong("server_host_override"),
        help: "The name to expect in the server's certificate and to send as SNI and :authority.")
    var serverHostOverride: String?

    @Flag(name: .customLong("use_test_ca"), help: "Trust the test CA given with --ca_file instead of the system's CAs.")
    var useTestCA = false

    @Option(
        name: [.customLong("client_cert"), .customLong("client-cert")],
        help: "PEM client certificate chain for mutual TLS (with --client_key).")
    var clientCertificate: String?

    @Option(
        name: [.customLong("client_key"), .customLong("client-key")],
        help: "PEM private key of the client certificate (mutual TLS).")
    var clientKey: String?

    func validate() throws {
        guard (1...65535).contains(serverPort) else {
            throw ValidationError("--server_port must be between 1 and 65535, got \(serverPort)")
        }
        if useTestCA && caFile == nil {
            throw ValidationError("--use_test_ca needs --ca_file with the test CA's PEM file (no test CA is built in)")
        }
        if (clientCertificate == nil) != (clientKey == nil) {
            throw ValidationError("--client_cert and --client_key go together (mutual TLS needs both)")
        }
        if clientCertificate != nil && !useTLS {
            throw ValidationError("--client_cert needs --use_tls (client certificates are sent in the TLS handshake)")
        }
    }

    /// The channel settings these options describe.
    var channelConfiguration: ChannelConfiguration {
        let tls =
            useTLS
            ? ClientTLSConfiguration(
                caFile: caFile, serverNameOverride: serverHostOverride, certificateFile: clientCertificate,
                privateKeyFile: clientKey)
            : nil
        return ChannelConfiguration(host: serverHost, port: serverPort, tls: tls)
    }
}
