public import RPC
internal import Dispatch
internal import Posix
internal import Synchronization
internal import TLS

/// A gRPC server over HTTP/2: h2c and/or TLS listeners served by one event loop per thread.
///
/// ```swift
/// var configuration = ServerConfiguration()
/// configuration.plaintext = ("127.0.0.1", 0)
/// let server = try GRPCServer(configuration: configuration, router: router)   // listening now
/// print(server.addresses)
/// server.shutdown()                                                          // graceful, blocks
/// ```
public final class GRPCServer: Sendable {
    /// A bound listening address.
    public struct ListeningAddress: Sendable, Hashable, CustomStringConvertible {
        /// "h2c" or "tls".
        public var kind: String
        public var host: String
        public var port: Int
        public var description: String { "\(kind) \(host.contains(":") ? "[\(host)]" : host):\(port)" }
    }

    public let configuration: ServerConfiguration
    /// Where the server listens (ports resolved when 0 was asked for).
    public let addresses: [ListeningAddress]
    private let group: EventLoopGroup
    private let loops: [LoopBound<ServerLoop>]
    private let state = Mutex(State.running)

    private enum State { case running, stopping, stopped }

    /// Binds the listeners (SO_REUSEPORT, one socket per loop) and starts serving.
    /// Throws `SystemCallError` when an address cannot be bound.
    public init(configuration: ServerConfiguration, router: Router) throws {
        self.configuration = configuration
        let threads = configuration.threads > 0 ? configuration.threads : max(1, System.coreCount)
        let group = try EventLoopGroup(count: threads, name: "grpc-server")
        let budgets = ServerBudgets(configuration: configuration)
        let limits = ConnectionLimits(
            maxConnections: configuration.maxConnections, maxConnectionsPerPeer: configuration.maxConnectionsPerPeer)
        let loops = group.loops.map {
            LoopBound(
                ServerLoop(loop: $0, configuration: configuration, router: router, budgets: budgets, limits: limits))
        }

        // Bind every listener once per loop; the first bind resolves port 0 for the rest.
        var addresses: [ListeningAddress] = []
        var perLoopFDs: [[(Int32, TLSContext?)]] = Array(repeating: [], count: threads)
        var specs: [(kind: String, host: String, port: Int, tls: TLSContext?)] = []
        if let plaintext = configuration.plaintext { specs.append(("h2c", plaintext.host, plaintext.port, nil)) }
        if let tls = configuration.tls { specs.append(("tls", tls.host, tls.port, tls.context)) }
        var opened: [Int32] = []
        do {
            for spec in specs {
                var port = spec.port
                for index in 0..<threads {
                    let fd = try Socket.listenTCP(host: spec.host, port: port, reusePort: true)
                    opened.append(fd)
                    if index == 0 { port = try Socket.boundPort(fd) }
                    perLoopFDs[index].append((fd, spec.tls))
                }
                addresses.append(ListeningAddress(kind: spec.kind, host: spec.host, port: port))
            }
        } catch {
            for fd in opened { Socket.close(fd) }
            throw error
        }
        self.addresses = addresses
        self.group = group
        self.loops = loops

        group.start()
        let registered = DispatchSemaphore(value: 0)
        let failures = Mutex<[String]>([])
        for (index, bound) in loops.enumerated() {
            let fds = perLoopFDs[index].map { LoopBound(ListenerSpec(fd: $0.0, tls: $0.1)) }
            bound.value.loop.execute {
                for spec in fds {
                    do {
                        try bound.value.addListener(fd: spec.value.fd, tls: spec.value.tls)
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
                registered.signal()
            }
        }
        for _ in loops { registered.wait() }
        if let failure = failures.withLock({ $0.first }) {
            shutdown()
            throw ServerStartError(message: "could not register a listener: \(failure)")
        }
    }

    /// Graceful shutdown: stop accepting, GOAWAY each connection, let in-flight calls finish for
    /// up to `configuration.drainTimeout`, then close everything and stop the loops. Blocks
    /// until done; call it from outside the server's loops. Calling it again does nothing.
    public func shutdown() {
        let proceed = state.withLock { state -> Bool in
            guard state == .running else { return false }
            state = .stopping
            return true
        }
        guard proceed else { return }
        let drained = DispatchSemaphore(value: 0)
        for bound in loops {
            bound.value.loop.execute {
                bound.value.shutdown { drained.signal() }
            }
        }
        for _ in loops { drained.wait() }
        group.stop()
        state.withLock { $0 = .stopped }
    }

    deinit {
        shutdown()
    }
}

/// A listener could not be started.
public struct ServerStartError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// A bound socket on its way to its loop (the fd is just an integer; the TLS context is immutable).
private final class ListenerSpec {
    let fd: Int32
    let tls: TLSContext?
    init(fd: Int32, tls: TLSContext?) {
        self.fd = fd
        self.tls = tls
    }
}
