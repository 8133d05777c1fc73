/// Where a ``GRPCChannel`` connects and how.
public struct ChannelConfiguration: Sendable {
    /// The server's host name or address, such as `127.0.0.1` or `localhost`.
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// TLS settings; nil for plaintext HTTP/2 with prior knowledge (h2c).
    public var tls: ClientTLSConfiguration?
    /// The largest response message accepted (after decompression); a bigger one fails the call
    /// with `RESOURCE_EXHAUSTED`.
    public var maxReceiveMessageSize: Int
    /// How long a connection attempt (TCP connect plus TLS handshake) may take before calls
    /// waiting on it fail with `UNAVAILABLE`.
    public var connectTimeout: Duration
    /// The `user-agent` request header.
    public var userAgent: String

    public init(
        host: String, port: Int, tls: ClientTLSConfiguration? = nil, maxReceiveMessageSize: Int = 64 << 20,
        connectTimeout: Duration = .seconds(20), userAgent: String = "replyintent-grpc-swift/1.0"
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.maxReceiveMessageSize = maxReceiveMessageSize
        self.connectTimeout = connectTimeout
        self.userAgent = userAgent
    }

    /// The `:authority` of every request: the TLS server-name override when set, else `host:port`.
    public var authority: String {
        if let name = tls?.serverNameOverride { return name }
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "\(bracketed):\(port)"
    }

    /// The name TLS sends as SNI and checks against the server's certificate.
    var tlsServerName: String { tls?.serverNameOverride ?? host }
}

/// TLS settings for a client channel. The server's certificate is always verified.
public struct ClientTLSConfiguration: Sendable {
    /// PEM file with the CA certificates to trust; nil for the system's default trust store.
    public var caFile: String?
    /// The name to expect in the server's certificate, send as SNI and use as `:authority`
    /// instead of the host (interop's `--server_host_override`).
    public var serverNameOverride: String?
    /// Client certificate and key (PEM) for mutual TLS.
    public var certificateFile: String?
    public var privateKeyFile: String?

    public init(
        caFile: String? = nil, serverNameOverride: String? = nil, certificateFile: String? = nil,
        privateKeyFile: String? = nil
    ) {
        self.caFile = caFile
        self.serverNameOverride = serverNameOverride
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
    }
}
