/// Something the transport refused, reset or cut off because a peer broke a rule or a bound:
/// reported through ``ServerConfiguration/onIncident`` so that the server can log it.
/// Never carries header values or message bytes (they may hold credentials or buyers' text).
public struct TransportIncident: Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A connection was refused at accept (too many per process or per peer).
        case connectionRefused = "connection_refused"
        /// A header field was malformed (RFC 9113 §8.2.1); its stream was reset with PROTOCOL_ERROR.
        case malformedHeader = "malformed_header"
        /// A request broke a size bound (headers, buffered request bytes, queued responses).
        case limitExceeded = "limit_exceeded"
        /// A timer ran out: request timeout, keepalive, response stall, connection age.
        case timeout = "timeout"
        /// The peer broke the HTTP/2 protocol and the connection was closed.
        case protocolError = "protocol_error"
    }

    public var kind: Kind
    /// The peer's address, `host:port`.
    public var peer: String
    /// The stream concerned, 0 for the connection.
    public var stream: Int32
    /// What happened, for a person (names headers and limits, never values).
    public var detail: String

    public init(kind: Kind, peer: String, stream: Int32 = 0, detail: String) {
        self.kind = kind
        self.peer = peer
        self.stream = stream
        self.detail = detail
    }

    public var description: String { "\(kind.rawValue) peer=\(peer) stream=\(stream): \(detail)" }
}
