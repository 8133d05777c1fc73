import Testing
@testable import Classifier

/// Hashes must be identical in every process and build: models store bucket indices.
@Suite struct HashingTests {
    @Test func fnv1aMatchesReferenceValues() {
        #expect(FNV1a.hash(bytes: [UInt8]()) == 0xCBF2_9CE4_8422_2325)
        #expect(FNV1a.hash(bytes: Array("a".utf8)) == 0xAF63_DC4C_8601_EC8C)
        #expect(FNV1a.hash(bytes: Array("where is my order".utf8)) == 0x8C7B_DE2C_FB86_F656)
        #expect(FNV1a.hash(scalars: "طلبي 订单") == 0x5EBC_17F6_7497_CA19)
    }

    @Test func crc32MatchesReferenceValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        // Long input exercises the 8-byte path and the tail.
        let long = [UInt8]((0..<1003).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var bytewise: UInt32 = 0xFFFF_FFFF
        for byte in long {
            bytewise ^= UInt32(byte)
            for _ in 0..<8 { bytewise = (bytewise & 1) != 0 ? (bytewise >> 1) ^ 0xEDB8_8320 : bytewise >> 1 }
        }
        #expect(CRC32.checksum(long) == ~bytewise)
    }

    /// Bucket indices computed independently (Python) for the word "hi": char 2–5-grams of
    /// "\u{2}hi\u{3}" and the word unigram, 2^18 buckets.
    @Test func featureBucketsAreStable() {
        var settings = FeatureSettings()
        settings.idf = false
        let vector = FeatureExtractor(settings: settings).features("Hi")
        #expect(vector.indices.sorted() == [20865, 26625, 65514, 92915, 145753, 152303, 245150])
        for value in vector.values { #expect(abs(value - 1 / Float(7).squareRoot()) < 1e-6) }
    }
}
