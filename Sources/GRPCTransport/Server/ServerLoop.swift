internal import HTTP2
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
    /// The server's connection bounds, shared with its other loops.
    let limits: ConnectionLimits
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
    let readBuffer = ConnectionReadBuffer()
    /// The bytes a refused h2c connection gets (server SETTINGS + GOAWAY), built once per loop.
    private var refusalFrames: [ConnectionLimits.Refusal: [UInt8]] = [:]
    /// Bounds the incidents this loop's connections report.
    private var incidentThrottle = IncidentThrottle()

    init(
        loop: EventLoop, configuration: ServerConfiguration, router: Router, budgets: ServerBudgets,
        limits: ConnectionLimits
    ) {
        self.loop = loop
        self.configuration = configuration
        self.router = router
        self.budgets = budgets
        self.limits = limits
    }

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
            let address = ConnectionLimits.address(ofPeer: accepted.peer)
            if let refusal = limits.admit(address) {
                refuse(accepted.fd, peer: accepted.peer, refusal, plaintext: listener.tls == nil)
                continue
            }
            Socket.setNoDelay(accepted.fd)
            var created: ServerConnection? = nil
            do {
                let tls = try listener.tls.map { try TLSConnection(context: $0) }
                let connection = try ServerConnection(fd: accepted.fd, peer: accepted.peer, tls: tls, owner: self)
                created = connection
                connections[ObjectIdentifier(connection)] = connection
                try connection.start()
            } catch {
                if let created { connections[ObjectIdentifier(created)] = nil }
                Socket.close(accepted.fd)
                limits.release(address)
            }
        }
    }

    /// A connection over `maxConnections` or `maxConnectionsPerPeer`. h2c gets the server
    /// preface and GOAWAY(ENHANCE_YOUR_CALM) with the reason, so the client can tell why; TLS is
    /// just closed (a handshake would cost more than the connection is worth). One non-blocking
    /// write, never a wait.
    private func refuse(_ fd: Int32, peer: String, _ refusal: ConnectionLimits.Refusal, plaintext: Bool) {
        if plaintext {
            // Read what the client already sent (its preface), so that closing sends FIN: a RST
            // could make the client's kernel drop the GOAWAY before the client reads it.
            for _ in 0..<4 {
                guard case .bytes? = try? Socket.read(fd, into: &readBuffer.bytes, range: 0..<readBuffer.bytes.count) else { break }
            }
            _ = try? Socket.write(fd, frames(for: refusal)[...])
        }
        Socket.close(fd)
        reportRefusal(peer: peer, refusal, plaintext: plaintext)
    }

    private func frames(for refusal: ConnectionLimits.Refusal) -> [UInt8] {
        if let cached = refusalFrames[refusal] { return cached }
        var bytes: [UInt8] = []
        var events: [HTTP2Event] = []
        if let session = try? HTTP2Session(
            role: .server, settings: HTTP2Settings(maxConcurrentStreams: 0, connectionWindowSize: 65535))
        {
            session.submitGoAway(errorCode: HTTP2ErrorCode.enhanceYourCalm, debug: refusal.debugText)
            try? session.drainOutput(into: &bytes, events: &events)
        }
        refusalFrames[refusal] = bytes
        return bytes
    }

    /// Reports an incident through ``ServerConfiguration/onIncident``, at most
    /// ``IncidentThrottle/perSecond`` a second for this loop (see ``IncidentThrottle``).
    func report(_ kind: TransportIncident.Kind, peer: String, stream: Int32 = 0, _ detail: String) {
        guard let onIncident = configuration.onIncident else { return }
        let (admitted, leftOut) = incidentThrottle.admit(now: monotonicNanoseconds())
        guard admitted else { return }
        let note = leftOut > 0 ? " (\(leftOut) more incidents on this event loop were not reported)" : ""
        onIncident(TransportIncident(kind: kind, peer: peer, stream: stream, detail: detail + note))
    }

    private func reportRefusal(peer: String, _ refusal: ConnectionLimits.Refusal, plaintext: Bool) {
        var detail: String
        switch refusal {
        case .peer:
            detail = "connection refused: \(limits.maxConnectionsPerPeer) connections from "
                + "\(ConnectionLimits.address(ofPeer: peer)) are already open (max_connections_per_peer)"
        case .server:
            detail = "connection refused: \(limits.maxConnections) connections to this server are already open (max_connections)"
        }
        detail += plaintext ? "; sent GOAWAY ENHANCE_YOUR_CALM" : "; closed"
        report(.connectionRefused, peer: peer, detail)
    }

    private func pause(_ listener: Listener) {
        loop.deregister(fd: listener.fd)
        _ = loop.schedule(after: 100_000_000) { [weak self, weak listener] in
            guard let self, let listener, !self.shuttingDown else { return }
            try? self.loop.register(fd: listener.fd, handler: listener, readable: true, writable: false)
        }
    }

    func connectionClosed(_ connection: ServerConnection) {
        guard connections.removeValue(forKey: ObjectIdentifier(connection)) != nil else { return }
        limits.release(ConnectionLimits.address(ofPeer: connection.peer))
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
