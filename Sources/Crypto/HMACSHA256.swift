internal import COpenSSL

/// HMAC-SHA256 (RFC 2104 with SHA-256, as in RFC 4231) through OpenSSL's `EVP_MAC` interface,
/// for one key set up once.
///
/// The keyed context is made once (the key is hashed into the inner and outer pads then) and
/// never changed; each ``mac(_:)`` works on a copy (`EVP_MAC_CTX_dup`, whose source is `const`),
/// so any number of threads may call it at once and no call fetches an algorithm or takes a
/// provider lock (the service computes one per bearer token).
public final class HMACSHA256: @unchecked Sendable {
    /// The number of bytes in a code.
    public static let macByteCount = 32

    /// The keyed `EVP_MAC_CTX`; only ever duplicated after `init`.
    private let keyed: OpaquePointer

    /// - Parameter key: the secret key, at least one byte (keys longer than the SHA-256 block,
    ///   64 bytes, are hashed first, as RFC 2104 says).
    public init(key: [UInt8]) {
        precondition(!key.isEmpty, "an HMAC key must not be empty")
        guard let context = EVP_MAC_CTX_new(HMACAlgorithm.shared.mac) else {
            preconditionFailure("OpenSSL EVP_MAC_CTX_new(HMAC) failed: \(OpenSSLErrorQueue.drain())")
        }
        let ok = "digest".withCString { name in
            "SHA256".withCString { digest in
                var parameters = [
                    OSSL_PARAM_construct_utf8_string(name, UnsafeMutablePointer(mutating: digest), 0),
                    OSSL_PARAM_construct_end(),
                ]
                return key.withUnsafeBufferPointer { EVP_MAC_init(context, $0.baseAddress, $0.count, &parameters) }
            }
        }
        // Fails only without memory or without SHA-256: nothing a caller could do about either.
        precondition(ok == 1, "OpenSSL EVP_MAC_init(HMAC-SHA256) failed: \(OpenSSLErrorQueue.drain())")
        keyed = context
    }

    deinit { EVP_MAC_CTX_free(keyed) }

    /// The 32-byte code of `message` under this key.
    public func mac(_ message: some Sequence<UInt8>) -> [UInt8] {
        if let code = message.withContiguousStorageIfAvailable({ macOf($0) }) {
            return code
        }
        return Array(message).withUnsafeBufferPointer { macOf($0) }
    }

    /// The code of `key` and `message` in one call (sets up a key each time: for one-off use).
    public static func mac(key: [UInt8], message: some Sequence<UInt8>) -> [UInt8] {
        HMACSHA256(key: key).mac(message)
    }

    private func macOf(_ buffer: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard let context = EVP_MAC_CTX_dup(keyed) else {
            preconditionFailure("OpenSSL EVP_MAC_CTX_dup(HMAC) failed: \(OpenSSLErrorQueue.drain())")
        }
        defer { EVP_MAC_CTX_free(context) }
        var code = [UInt8](repeating: 0, count: Self.macByteCount)
        var length = 0
        let ok = code.withUnsafeMutableBufferPointer { out in
            EVP_MAC_update(context, buffer.baseAddress, buffer.count) == 1
                && EVP_MAC_final(context, out.baseAddress, &length, out.count) == 1
        }
        // As in SHA256: a failure here is an allocation failure, and a wrong code a security bug.
        precondition(ok && length == Self.macByteCount, "OpenSSL EVP_MAC_update/final(HMAC-SHA256) failed")
        return code
    }
}

/// The fetched HMAC implementation. Immutable and never freed (it lives for the whole process),
/// so sharing it between threads is safe: hence `@unchecked Sendable`.
private final class HMACAlgorithm: @unchecked Sendable {
    static let shared = HMACAlgorithm()
    let mac: OpaquePointer

    private init() {
        guard let fetched = EVP_MAC_fetch(nil, "HMAC", nil) else {
            preconditionFailure("OpenSSL has no HMAC implementation: \(OpenSSLErrorQueue.drain())")
        }
        mac = fetched
    }
}
