/// A libcrypto call that failed in a way a caller can handle (today only the random generator),
/// with OpenSSL's own error text.
public struct CryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed, such as `"RAND_bytes(32)"`.
    public let operation: String
    /// OpenSSL's explanation (its error queue).
    public let reason: String

    public init(operation: String, reason: String) {
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "OpenSSL \(operation): \(reason)" }
}
