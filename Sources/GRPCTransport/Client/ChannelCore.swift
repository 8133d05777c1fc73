internal import Posix
internal import RPC
internal import TLS

/// The loop-side half of a ``GRPCChannel``: which connection new calls go to, and opening a
/// new one lazily when there is none (first call, or the last one dropped or got GOAWAY).
///
/// `@unchecked Sendable` so closures can carry it to the loop: every field is touched only on
/// the channel's event-loop thread (through `EventLoop.execute`).
final class ChannelCore: @unchecked Sendable {
    let loop: EventLoop
    let configuration: ChannelConfiguration
    private let tlsContext: TLSContext?
    private var connection: ClientConnection? = nil
    private var draining: [ObjectIdentifier: ClientConnection] = [:]
    private var isShutDown = false

    init(loop: EventLoop, configuration: ChannelConfiguration, tlsContext: TLSContext?) {
        self.loop = loop
        self.configuration = configuration
        self.tlsContext = tlsContext
    }

    /// Opens the call's stream on the current connection, connecting first if needed.
    func start(_ stream: ClientStream, initialMessage: [UInt8]?, endStream: Bool) {
        guard stream.phase == .created else { return }  // cancelled before it started
        if let invalid = MetadataCoding.validate(stream.metadata) {
            stream.end(Status(code: invalid.code, message: "cannot send the call's metadata: \(invalid.message)"), trailers: [:], dropBuffered: true)
            return
        }
        guard !isShutDown else {
            stream.end(Status(code: .unavailable, message: "the channel is closed"), trailers: [:], dropBuffered: true)
            return
        }
        var failure = ""
        for _ in 0..<2 {  // a second, fresh connection when the first can open no more streams
            guard let current = usableConnection(for: stream) else { return }
            if current.open(stream, initialMessage: initialMessage, endStream: endStream) { return }
            failure = current.submitFailure ?? ""
        }
        stream.end(Status(code: .unavailable, message: "could not start the call: \(failure)"), trailers: [:], dropBuffered: true)
    }

    /// The current connection, or a new one; nil (and the call ended) when connecting fails.
    private func usableConnection(for stream: ClientStream) -> ClientConnection? {
        if let connection, connection.acceptsNewStreams {
            return connection
        } else {
            do {
                let current = try ClientConnection(
                    loop: loop, configuration: configuration, tlsContext: tlsContext,
                    onClose: { [weak self] closed in self?.connectionGone(closed) },
                    onRetry: { [weak self] stream in self?.retry(stream) })
                connection = current
                return current
            } catch {
                stream.end(
                    Status(code: .unavailable, message: "cannot connect to \(configuration.host):\(configuration.port): \(error)"),
                    trailers: [:], dropBuffered: true)
                return nil
            }
        }
    }

    /// Starts a call again that a server refused without processing it (its whole request is known).
    private func retry(_ stream: ClientStream) {
        guard let request = stream.wholeRequest else { return }
        start(stream, initialMessage: request, endStream: true)
    }

    /// A connection closed or received GOAWAY: new calls get a new connection.
    private func connectionGone(_ closed: ClientConnection) {
        if connection === closed {
            connection = nil
            if closed.state != .closed { draining[ObjectIdentifier(closed)] = closed }
        } else if closed.state == .closed {
            draining[ObjectIdentifier(closed)] = nil
        }
    }

    /// Closes every connection; calls still open end with `UNAVAILABLE`.
    func shutdown() {
        isShutDown = true
        let all = [connection].compactMap { $0 } + Array(draining.values)
        connection = nil
        draining = [:]
        for connection in all { connection.shutdown() }
    }
}
