internal import Crypto

/// Token digests (32 bytes) to principals, for a lookup whose cost does not grow with the
/// number of entries: an unauthenticated caller sending random tokens costs one hash and one
/// dictionary probe, never a scan.
///
/// The dictionary is keyed by a digest's first 8 bytes only; the whole digest of each entry
/// with that prefix (almost always one) is then compared in constant time (`CRYPTO_memcmp`),
/// so the timing of a failed lookup tells a caller at most whether some entry starts with the
/// same 8 bytes as the keyed code of its guess, which it cannot compute without the salt.
struct DigestIndex: Sendable {
    private struct Entry: Sendable {
        let digest: [UInt8]
        let principal: Principal
    }

    private var buckets: [UInt64: [Entry]] = [:]
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Adds `digest` (32 bytes; ``TokenFile`` has rejected duplicates already).
    mutating func insert(_ digest: [UInt8], _ principal: Principal) {
        precondition(digest.count == SHA256.digestByteCount, "a token digest has 32 bytes")
        buckets[Self.prefix(digest), default: []].append(Entry(digest: digest, principal: principal))
        count += 1
    }

    /// The principal whose digest equals `digest`, if any.
    func principal(for digest: [UInt8]) -> Principal? {
        guard digest.count == SHA256.digestByteCount, let bucket = buckets[Self.prefix(digest)] else { return nil }
        var found: Principal?
        for entry in bucket where ConstantTime.isEqual(entry.digest, digest) {
            found = entry.principal
        }
        return found
    }

    private static func prefix(_ digest: [UInt8]) -> UInt64 {
        digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
