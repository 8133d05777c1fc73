internal import COpenSSL

/// Comparisons whose running time does not depend on the bytes compared (OpenSSL's
/// `CRYPTO_memcmp`), for secrets and digests of secrets.
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes. The time depends only on the length (lengths
    /// that differ answer false at once: a digest's length is no secret).
    public static func isEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0 }
        }
    }
}
