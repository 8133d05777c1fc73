public import RPC
internal import Posix
internal import Synchronization
internal import TLS

/// A client's connection to one gRPC server: one HTTP/2 connection (h2c with prior knowledge,
/// or TLS with ALPN `h2`), driven by the channel's own event-loop thread.
///
/// Thread-safe: start calls from any task. The connection opens on the first call and is
/// reopened lazily by the next call after it dropped or the server sent GOAWAY. ``close()``
/// closes the connection; the thread stops once the channel and all its calls are released.
///
/// ```swift
/// let channel = try GRPCChannel(configuration: ChannelConfiguration(host: "127.0.0.1", port: 50051))
/// let reply = try await channel.unary(path: "/grpc.testing.TestService/EmptyCall", request: [])
/// ```
public final class GRPCChannel: Sendable {
    public let configuration: ChannelConfiguration
    let loop: EventLoop
    let core: ChannelCore
    private let closed = Atomic<Bool>(false)

    /// Starts the channel's loop thread; throws when the TLS settings cannot be loaded
    /// (unreadable CA file, bad client certificate) or the loop cannot be created.
    public init(configuration: ChannelConfiguration) throws {
        self.configuration = configuration
        let tlsContext = try configuration.tls.map {
            try TLSContext.client(caFile: $0.caFile, certificateFile: $0.certificateFile, privateKeyFile: $0.privateKeyFile)
        }
        self.loop = try EventLoop(name: "grpc-client")
        self.core = ChannelCore(loop: loop, configuration: configuration, tlsContext: tlsContext)
        loop.start()
    }

    deinit {
        // No call is left (each holds its channel), so nothing can reach the loop after this.
        let core = self.core
        let loop = self.loop
        loop.execute {
            core.shutdown()
            loop.stop()
        }
        // Reap the thread (quick: the loop only closes sockets now). Never from the loop itself.
        if !loop.inEventLoop { loop.join() }
    }

    /// Closes the connection: calls still open end with `UNAVAILABLE`, later calls fail with
    /// `UNAVAILABLE` at once. The loop thread stops when the channel and its calls are released.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let core = self.core
        loop.execute { core.shutdown() }
    }

    /// Starts a call of any kind (client-, server- or bidirectional streaming): send messages,
    /// then ``ClientCall/closeSend()``, and read responses until ``ClientCall/receive()`` returns nil.
    ///
    /// - Parameters:
    ///   - timeout: the deadline from now; sent as `grpc-timeout` and enforced here
    ///     (`DEADLINE_EXCEEDED` and RST_STREAM when it passes).
    ///   - compression: the request encoding; with `.gzip` messages sent with `compress: true`
    ///     are compressed.
    public func makeCall(
        path: String, metadata: Metadata = [:], timeout: Duration? = nil, compression: MessageEncoding = .identity
    ) -> ClientCall {
        let call = ClientCall(channel: self, path: path, metadata: metadata, timeout: timeout, encoding: compression)
        call.start(initialMessage: nil, endStream: false)
        return call
    }

    /// Runs a unary call: one request, one response.
    ///
    /// Throws ``RPCError`` with the server's status (and trailing metadata) unless it is OK.
    public func unary(
        path: String, request: [UInt8], metadata: Metadata = [:], timeout: Duration? = nil,
        compression: MessageEncoding = .identity
    ) async throws -> UnaryResponse {
        let call = ClientCall(channel: self, path: path, metadata: metadata, timeout: timeout, encoding: compression)
        let framed = try call.framer.frame(request, compress: compression != .identity)
        call.start(initialMessage: framed, endStream: true)
        return try await call.unaryResponse()
    }
}

/// The result of a successful unary call.
public struct UnaryResponse: Sendable {
    /// The response message's bytes (decompressed).
    public var message: [UInt8]
    /// Whether the server sent the message compressed (the per-message flag).
    public var messageWasCompressed: Bool
    /// The response headers' custom metadata.
    public var initialMetadata: Metadata
    /// The trailers' custom metadata.
    public var trailingMetadata: Metadata

    public init(message: [UInt8], messageWasCompressed: Bool, initialMetadata: Metadata, trailingMetadata: Metadata) {
        self.message = message
        self.messageWasCompressed = messageWasCompressed
        self.initialMetadata = initialMetadata
        self.trailingMetadata = trailingMetadata
    }
}

/// Converts a timeout to a deadline on the monotonic clock (nanoseconds).
func monotonicDeadline(after timeout: Duration?) -> UInt64? {
    guard let timeout else { return nil }
    let parts = timeout.components
    if parts.seconds < 0 || (parts.seconds == 0 && parts.attoseconds <= 0) { return monotonicNanoseconds() }
    let nanoseconds = UInt64(clamping: parts.seconds).multipliedReportingOverflow(by: 1_000_000_000)
    let total = nanoseconds.overflow ? UInt64.max / 2 : nanoseconds.partialValue &+ UInt64(parts.attoseconds / 1_000_000_000)
    return monotonicNanoseconds() &+ min(total, UInt64.max / 2)
}
