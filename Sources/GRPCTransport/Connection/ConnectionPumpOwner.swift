internal import HTTP2
internal import Posix
internal import TLS

/// What a ``ConnectionPump`` tells the connection that owns it (``ServerConnection``,
/// ``ClientConnection``). Called on the loop thread, synchronously, from inside the pump.
protocol ConnectionPumpOwner: AnyObject {
    /// Events of the session: after every receive (possibly none: the owner may be counting
    /// `receivedBytes`) and after a drain that produced some. The array is the pump's; don't keep it.
    func pumpHandle(_ events: [HTTP2Event])
    /// The pump wrote what the socket took; the owner checks whether it is done.
    func pumpFlushed()
    /// The pump cannot go on (or the peer ended TLS); the owner closes, now or after a flush.
    func pumpFailed(_ failure: ConnectionPumpFailure)
    /// Application bytes can flow (once): the TLS handshake finished, or a client's h2c
    /// connect did. Never called for an accepted h2c socket.
    func pumpEstablished()
}

/// Why a ``ConnectionPump`` stopped moving bytes.
enum ConnectionPumpFailure {
    /// The non-blocking connect failed (SO_ERROR).
    case connectFailed(SystemCallError)
    case readFailed(SystemCallError)
    case writeFailed(SystemCallError)
    /// End of stream from the socket (or a write found it closed).
    case peerClosed
    /// A failed handshake or a corrupt record; the alert OpenSSL queued was sent.
    case tlsFailed(TLSError)
    /// The peer sent TLS close_notify: no more input will come.
    case closeNotify
    /// nghttp2 refused what the peer sent; the session's last frames (GOAWAY) were flushed.
    case protocolError(HTTP2Error)
    /// nghttp2 failed while producing frames.
    case sessionFailed(HTTP2Error)
}
