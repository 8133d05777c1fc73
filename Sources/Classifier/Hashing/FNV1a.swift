/// FNV-1a, 64-bit: the stable hash behind every hashed feature. Stable means the same input
/// gives the same value in every process, on every machine and in every build (Swift's
/// `Hasher` is randomly seeded per process, so it must never be used for features).
///
/// Text features are hashed one Unicode scalar at a time (each scalar value is one xor-multiply
/// round), which is FNV-1a over UTF-32 code units; `hash(bytes:)` is textbook FNV-1a over bytes.
public struct FNV1a: Sendable, Equatable {
    public static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01B3

    public private(set) var value: UInt64

    public init(seed: UInt64 = FNV1a.offsetBasis) { value = seed }

    @inline(__always)
    public mutating func combine(_ unit: UInt32) {
        value = (value ^ UInt64(unit)) &* FNV1a.prime
    }

    @inline(__always)
    public mutating func combine(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* FNV1a.prime
    }

    /// Textbook FNV-1a 64 over bytes: `hash(bytes: Array("a".utf8)) == 0xAF63DC4C8601EC8C`.
    public static func hash<C: Collection>(bytes: C) -> UInt64 where C.Element == UInt8 {
        var hasher = FNV1a()
        for byte in bytes { hasher.combine(byte: byte) }
        return hasher.value
    }

    /// FNV-1a over the string's Unicode scalars (one round per scalar).
    public static func hash(scalars string: String) -> UInt64 {
        var hasher = FNV1a()
        for scalar in string.unicodeScalars { hasher.combine(scalar.value) }
        return hasher.value
    }

    /// Folds a 64-bit hash into `[0, buckets)`; `buckets` must be a power of two.
    @inline(__always)
    public static func bucket(_ hash: UInt64, mask: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: (hash ^ (hash >> 29)) & mask)
    }
}
