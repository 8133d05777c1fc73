internal import ArgumentParser
internal import GRPCTransport
internal import InteropService
internal import Posix
internal import RPC
internal import TLS

/// `intentd`: serves gRPC over h2c and/or TLS until SIGTERM or SIGINT, then drains gracefully.
struct IntentD: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intentd",
        abstract: "The ReplyIntent gRPC server (HTTP/2 over nghttp2; h2c and TLS).",
        discussion: """
            Prints one line per listening address once ready, then serves until SIGTERM or SIGINT.
            With --cert/--key and no --tls-port, --port serves TLS instead of h2c; with --tls-port both listen.
            grpc.health.v1.Health is always served.
            """)

    @Option(help: "Address to listen on.")
    var host = "0.0.0.0"

    @Option(help: "Port for h2c (plaintext HTTP/2), or for TLS when --cert is given without --tls-port. 0 = any.")
    var port = 50051

    @Option(name: .customLong("tls-port"), help: "Port for TLS (ALPN h2), in addition to the h2c port.")
    var tlsPort: Int?

    @Option(name: [.customLong("cert"), .customLong("tls-cert")], help: "PEM certificate chain for TLS.")
    var cert: String?

    @Option(name: [.customLong("key"), .customLong("tls-key")], help: "PEM private key for TLS.")
    var key: String?

    @Option(help: "Event-loop threads (default: one per core).")
    var threads: Int?

    @Option(
        name: .customLong("max-receive-message-size"),
        help: "Largest request message in bytes (default 4 MiB; 16 MiB with --test-service, as the interop suite needs).")
    var maxReceiveMessageSize: Int?

    @Option(name: .customLong("max-concurrent-streams"), help: "HTTP/2 streams a client may open at once.")
    var maxConcurrentStreams: UInt32 = 100

    @Option(name: .customLong("idle-timeout"), help: "Close connections without streams after this many seconds.")
    var idleTimeout: Double = 300

    @Option(name: .customLong("drain-timeout"), help: "On shutdown, seconds in-flight calls get to finish.")
    var drainTimeout: Double = 30

    @Flag(name: .customLong("test-service"), help: "Serve grpc.testing.TestService (the gRPC interop service).")
    var testService = false

    func validate() throws {
        if (cert == nil) != (key == nil) { throw ValidationError("--cert and --key must be given together") }
        if tlsPort != nil && cert == nil { throw ValidationError("--tls-port needs --cert and --key") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let size = maxReceiveMessageSize, size < 0 { throw ValidationError("--max-receive-message-size must be >= 0") }
        if maxConcurrentStreams < 1 { throw ValidationError("--max-concurrent-streams must be at least 1") }
        if !(idleTimeout > 0) || !(drainTimeout >= 0) { throw ValidationError("timeouts must be positive") }
    }

    func run() throws {
        // Block the signals before any thread starts so every loop thread inherits the mask
        // and only Signals.wait below receives them.
        Signals.block([Signals.interrupt, Signals.terminate])

        var configuration = ServerConfiguration()
        configuration.threads = threads ?? 0
        configuration.maxReceiveMessageSize = maxReceiveMessageSize ?? (testService ? 16 << 20 : 4 << 20)
        configuration.maxConcurrentStreams = maxConcurrentStreams
        configuration.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
        configuration.drainTimeout = .milliseconds(Int64(drainTimeout * 1000))
        if let cert, let key {
            let context: TLSContext
            do {
                context = try TLSContext.server(certificateFile: cert, privateKeyFile: key)
            } catch {
                throw ValidationError("cannot load the TLS certificate or key: \(error)")
            }
            if let tlsPort {
                configuration.plaintext = (host, port)
                configuration.tls = .init(host: host, port: tlsPort, context: context)
            } else {
                configuration.plaintext = nil
                configuration.tls = .init(host: host, port: port, context: context)
            }
        } else {
            configuration.plaintext = (host, port)
        }

        let health = HealthStatusRegistry()
        var router = Router()
        router.register(HealthService(registry: health))
        if testService {
            router.register(TestService())
            health.setStatus(.serving, for: TestService.serviceName)
        }

        let server: GRPCServer
        do {
            server = try GRPCServer(configuration: configuration, router: router)
        } catch {
            Output.error("intentd: cannot listen: \(error)")
            throw ExitCode(1)
        }
        for address in server.addresses {
            Output.line("intentd listening on \(address)")
        }

        let signal = Signals.wait([Signals.interrupt, Signals.terminate])
        Output.line("intentd: received signal \(signal), draining (up to \(drainTimeout) s)")
        health.shutdown()
        server.shutdown()
        Output.line("intentd: stopped")
    }
}
