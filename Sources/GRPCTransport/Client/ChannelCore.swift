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
        let current: ClientConnection
        if let connection, connection.acceptsNewStreams {
            current = connection
        } else {
            do {
                current = try ClientConnection(
                    loop: loop, configuration: configuration, tlsContext: tlsContext,
                    onClose: { [weak self] closed in self?.connectionGone(closed) })
            } catch {
                stream.end(
                    Status(code: .unavailable, message: "cannot connect to \(configuration.host):\(configuration.port): \(error)"),
                    trailers: [:], dropBuffered: true)
                return
            }
            connection = current
        }
        current.open(stream, initialMessage: initialMessage, endStream: endStream)
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
