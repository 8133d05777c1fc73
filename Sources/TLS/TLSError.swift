internal import Crypto

/// A TLS failure: what was being done and why, with OpenSSL's own error text
/// (for example `handshake: certificate verify failed (hostname mismatch)`).
public struct TLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed: `"handshake"`, `"read"`, `"load certificate chain from server.pem"`, …
    public let operation: String
    /// OpenSSL's explanation (its error queue, plus the certificate check result when relevant).
    public let reason: String

    public init(operation: String, reason: String) {
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "TLS \(operation): \(reason)" }
}

extension OpenSSLErrorQueue {
    /// A ``TLSError`` for a failed setup call, with the queue's text or `fallback`.
    static func error(_ operation: String, fallback: String = "unknown OpenSSL error") -> TLSError {
        TLSError(operation: operation, reason: reason(fallback: fallback))
    }
}
