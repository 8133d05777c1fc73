internal import COpenSSL

/// Random bytes for secrets (tokens, salts) from OpenSSL's CSPRNG (`RAND_bytes`, seeded by the
/// operating system).
public enum SecureRandom {
    /// `count` random bytes; throws when OpenSSL's generator cannot produce them (not seeded).
    public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max))
        var bytes = [UInt8](repeating: 0, count: count)
        if count == 0 { return bytes }
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        guard ok == 1 else {
            throw CryptoError(
                operation: "RAND_bytes(\(count))", reason: OpenSSLErrorQueue.reason(fallback: "the random generator failed"))
        }
        return bytes
    }
}
