internal import COpenSSL

/// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface.
///
/// The digest implementation is fetched once (`EVP_MD_fetch`) and shared: OpenSSL 3 allows a
/// fetched `EVP_MD` to be used from any number of threads at once, and fetching per call would
/// take the provider lock every time (the service hashes a bearer token on every RPC).
public enum SHA256 {
    /// The number of bytes in a digest.
    public static let digestByteCount = 32

    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable({ digestOf($0) }) {
            return digest
        }
        return Array(bytes).withUnsafeBufferPointer { digestOf($0) }
    }

    /// The digest of the UTF-8 bytes of `s`, as 64 lower-case hex digits.
    public static func hexDigest(_ s: String) -> String {
        var text = s
        let digest = text.withUTF8 { digestOf($0) }
        return hex(digest)
    }

    /// `bytes` as lower-case hex digits, two per byte.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            var index = 0
            for byte in bytes {
                buffer[index] = digits[Int(byte >> 4)]
                buffer[index + 1] = digits[Int(byte & 0x0f)]
                index += 2
            }
            return index
        }
    }

    private static func digestOf(_ buffer: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: digestByteCount)
        var length: UInt32 = 0
        let ok = digest.withUnsafeMutableBufferPointer { out in
            EVP_Digest(buffer.baseAddress, buffer.count, out.baseAddress, &length, SHA256Algorithm.shared.md, nil)
        }
        // EVP_Digest fails only when OpenSSL cannot allocate a context or has no SHA-256 at all,
        // neither of which a caller could recover from; a wrong digest would be a security bug.
        precondition(ok == 1 && length == UInt32(digestByteCount), "OpenSSL EVP_Digest(SHA-256) failed")
        return digest
    }
}

/// The fetched SHA-256 implementation. Immutable after creation and never freed (it lives for
/// the whole process), so sharing it between threads is safe: hence `@unchecked Sendable`.
private final class SHA256Algorithm: @unchecked Sendable {
    static let shared = SHA256Algorithm()
    let md: OpaquePointer

    private init() {
        guard let fetched = EVP_MD_fetch(nil, "SHA256", nil) else {
            preconditionFailure("OpenSSL has no SHA-256 implementation: \(OpenSSLErrorQueue.drain())")
        }
        md = fetched
    }
}
