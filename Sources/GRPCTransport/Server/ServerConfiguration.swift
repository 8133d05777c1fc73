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
    /// SETTINGS_MAX_HEADER_LIST_SIZE; a bigger request header block resets its stream.
    public var maxHeaderListSize: UInt32 = 16 * 1024
    /// The per-stream receive window (a slow streaming handler holds at most this much unread).
    public var initialWindowSize: UInt32 = 1 << 20
    /// A connection with no open stream for this long is closed with GOAWAY(NO_ERROR).
    public var idleTimeout: Duration = .seconds(300)
    /// A connection that has not completed its TLS handshake and HTTP/2 preface by then is closed.
    public var handshakeTimeout: Duration = .seconds(10)
    /// During graceful shutdown, in-flight calls get this long before connections are closed.
    public var drainTimeout: Duration = .seconds(30)
    /// A streaming handler's `send` suspends while its stream has more than this many bytes queued.
    public var outboundHighWaterMark: Int = 256 * 1024

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
