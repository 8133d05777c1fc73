internal import Posix
internal import RPC
internal import TLS

/// What a ``GRPCServer`` keeps on each event loop: its listening sockets (SO_REUSEPORT, so
/// the kernel spreads connections across loops) and the connections they accepted.
/// Owned by that loop: every method runs on its thread.
final class ServerLoop {
    let loop: EventLoop
    let configuration: ServerConfiguration
    let router: Router
    let budgets: ServerBudgets
    private var listeners: [Listener] = []
    private var connections: [ObjectIdentifier: ServerConnection] = [:]
    private var shuttingDown = false
    private var drainTimer: TimerID? = nil
    private var onDrained: (@Sendable () -> Void)? = nil
    /// Handlers already found, with their parsed paths (only registered paths get in: bounded).
    private var resolved: [String: (Route, MethodPath)] = [:]
    private var lastResolved: (path: String, entry: (Route, MethodPath))? = nil
    /// The loop's socket read buffer, shared by its connections (each processes its bytes
    /// before the next read).
    var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(loop: EventLoop, configuration: ServerConfiguration, router: Router, budgets: ServerBudgets) {
        self.loop = loop
        self.configuration = configuration
        self.router = router
        self.budgets = budgets
    }

    var connectionCount: Int { connections.count }

    /// The handler for a `:path`, cached per loop (Router.resolve parses and hashes each time).
    func resolve(_ path: String) -> Result<(Route, MethodPath), RPCError> {
        // Consecutive requests usually name the same method, often with the very same String
        // (the HTTP/2 layer reuses repeated header values), which compares in O(1).
        if let last = lastResolved, last.path == path { return .success(last.entry) }
        if let hit = resolved[path] {
            lastResolved = (path, hit)
            return .success(hit)
        }
        switch router.resolve(path) {
        case .failure(let error):
            return .failure(error)
        case .success(let route):
            let entry = (route, MethodPath(path: path) ?? MethodPath(service: "", method: path))
            resolved[path] = entry
            return .success(entry)
        }
    }

    /// Starts accepting on an already-bound listening socket.
    func addListener(fd: Int32, tls: TLSContext?) throws {
        let listener = Listener(fd: fd, tls: tls, owner: self)
        try loop.register(fd: fd, handler: listener, readable: true, writable: false)
        listeners.append(listener)
    }

    fileprivate func accept(from listener: Listener) {
        guard !shuttingDown else { return }
        for _ in 0..<64 {
            let accepted: (fd: Int32, peer: String)?
            do {
                accepted = try Socket.accept(listener.fd)
            } catch {
                // EMFILE and friends: the listener stays readable, so level-triggered epoll would
                // spin. Pause it for 100 ms and try again.
                pause(listener)
                return
            }
            guard let accepted else { return }
            Socket.setNoDelay(accepted.fd)
            do {
                let tls = try listener.tls.map { try TLSConnection(context: $0) }
                let connection = try ServerConnection(fd: accepted.fd, peer: accepted.peer, tls: tls, owner: self)
                connections[ObjectIdentifier(connection)] = connection
                try connection.start()
            } catch {
                Socket.close(accepted.fd)
            }
        }
    }

    private func pause(_ listener: Listener) {
        loop.deregister(fd: listener.fd)
        _ = loop.schedule(after: 100_000_000) { [weak self, weak listener] in
            guard let self, let listener, !self.shuttingDown else { return }
            try? self.loop.register(fd: listener.fd, handler: listener, readable: true, writable: false)
        }
    }

    func connectionClosed(_ connection: ServerConnection) {
        connections[ObjectIdentifier(connection)] = nil
        if shuttingDown && connections.isEmpty { finishShutdown() }
    }

    /// Graceful shutdown: stop accepting, GOAWAY every connection, force-close after the drain
    /// timeout; `done` runs (on this loop) once every connection is closed.
    func shutdown(done: @escaping @Sendable () -> Void) {
        guard !shuttingDown else { return }
        shuttingDown = true
        onDrained = done
        for listener in listeners {
            loop.deregister(fd: listener.fd)
            Socket.close(listener.fd)
        }
        listeners.removeAll()
        if connections.isEmpty {
            finishShutdown()
            return
        }
        drainTimer = loop.schedule(after: configuration.drainTimeout.nanosecondsClamped) { [weak self] in
            guard let self else { return }
            self.drainTimer = nil
            for connection in Array(self.connections.values) { connection.forceClose() }
        }
        for connection in Array(connections.values) { connection.beginDrain() }
    }

    private func finishShutdown() {
        if let timer = drainTimer {
            loop.cancel(timer)
            drainTimer = nil
        }
        let done = onDrained
        onDrained = nil
        done?()
    }
}

/// A listening socket on one loop.
private final class Listener: EventHandler {
    let fd: Int32
    let tls: TLSContext?
    unowned let owner: ServerLoop

    init(fd: Int32, tls: TLSContext?, owner: ServerLoop) {
        self.fd = fd
        self.tls = tls
        self.owner = owner
    }

    func onReadable() { owner.accept(from: self) }
    func onWritable() {}
}
