public import TLS

/// Limits and listeners of a ``GRPCServer``.
public struct ServerConfiguration: Sendable {
    /// A TLS listener: its own address and the certificate context (ALPN h2).
    public struct TLSListener: Sendable {
        public var host: String
        public var port: Int
        public var context: TLSContext

        public init(host: String, port: Int, context: TLSContext) {
            self.host = host
            self.port = port
            self.context = context
        }
    }

    /// The plaintext (h2c, prior knowledge) listener; nil for none.
    public var plaintext: (host: String, port: Int)? = ("0.0.0.0", 50051)
    /// An optional TLS listener, served by the same loops.
    public var tls: TLSListener? = nil
    /// Event loops (threads); each has its own SO_REUSEPORT listening socket(s). 0 = one per core.
    public var threads: Int = 0
    /// The largest request message accepted (after decompression); bigger → RESOURCE_EXHAUSTED.
    public var maxReceiveMessageSize: Int = 4 * 1024 * 1024
    /// SETTINGS_MAX_CONCURRENT_STREAMS; extra streams are refused (RST_STREAM REFUSED_STREAM).
    public var maxConcurrentStreams: UInt32 = 100
    /// SETTINGS_MAX_HEADER_LIST_SIZE; a bigger request header block is answered RESOURCE_EXHAUSTED
    /// (past 4x this, at least 64 KiB, its stream is reset without an answer).
    public var maxHeaderListSize: UInt32 = 16 * 1024
    /// The per-stream receive window (a slow streaming handler holds at most this much unread).
    public var initialWindowSize: UInt32 = 1 << 20
    /// A connection with no open stream for this long is closed with GOAWAY(NO_ERROR).
    public var idleTimeout: Duration = .seconds(300)
    /// A connection that has not completed its TLS handshake and HTTP/2 preface by then is closed.
    public var handshakeTimeout: Duration = .seconds(10)
    /// During graceful shutdown, in-flight calls get this long before connections are closed.
    public var drainTimeout: Duration = .seconds(30)
    /// A streaming handler's `send` suspends while its stream has more than this many bytes queued
    /// (the per-stream bound on queued response bytes).
    public var outboundHighWaterMark: Int = 256 * 1024
    /// Every writer of a connection suspends while the connection queues more response bytes than this.
    public var maxQueuedResponseBytesPerConnection: Int = 4 << 20
    /// A stream whose client takes none of its queued response bytes for this long is ended with
    /// RESOURCE_EXHAUSTED (a reader that stopped reading is cut off, never buffered for).
    public var responseStallTimeout: Duration = .seconds(30)

    /// Request bytes a connection may hold at once (unary requests not yet complete, streaming
    /// messages its handlers have not taken); the stream that goes over gets RESOURCE_EXHAUSTED.
    public var maxBufferedRequestBytesPerConnection: Int = 32 << 20
    /// The same bound for every connection of the server together.
    public var maxBufferedRequestBytes: Int = 256 << 20
    /// A unary request (and a non-gRPC request) must arrive whole, HEADERS to END_STREAM, within this.
    public var requestTimeout: Duration = .seconds(30)

    /// After this long without a byte from the peer (open streams or not), the server sends a PING ...
    public var keepaliveTime: Duration = .seconds(60)
    /// ... and closes the connection when nothing arrives within this long after it.
    public var keepaliveTimeout: Duration = .seconds(20)
    /// A connection older than this (±10 % jitter) gets a graceful GOAWAY ...
    public var maxConnectionAge: Duration = .seconds(7200)
    /// ... and the calls still open on it this long before it is closed.
    public var maxConnectionAgeGrace: Duration = .seconds(30)

    /// Open connections per server (all loops); more are closed as they are accepted (h2c ones
    /// after SETTINGS + GOAWAY ENHANCE_YOUR_CALM, TLS ones at once).
    public var maxConnections: Int = 4096
    /// Open connections per client IP address.
    public var maxConnectionsPerPeer: Int = 256

    /// Unary calls whose handler asked to run off the event loop (`RunOffEventLoop`), at once;
    /// more get UNAVAILABLE.
    public var maxOffloadedCalls: Int = 256

    /// Told about what the transport refused or cut off (limits, malformed input, timeouts), so
    /// the server can log it; called on an event-loop thread, so it must not block.
    public var onIncident: (@Sendable (TransportIncident) -> Void)? = nil

    public init() {}
}

extension Duration {
    var nanosecondsClamped: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return UInt64.max }
        return whole &+ UInt64(attoseconds / 1_000_000_000)
    }
}
