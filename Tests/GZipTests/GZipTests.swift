import Testing
import GZip

@Suite struct GZipTests {
    /// Named inputs (names keep the test log short).
    static let samples: [String: [UInt8]] = [
        "empty": [],
        "one zero byte": [0],
        "short text": Array("hello, gzip".utf8),
        "100k repeated": Array(repeating: 0x61, count: 100_000),
        "70k pseudo-random": (0..<70_000).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) },
    ]

    @Test(arguments: samples.keys.sorted())
    func roundTrip(_ name: String) throws {
        let input = Self.samples[name]!
        let compressed = try GZip.compress(input)
        #expect(compressed.starts(with: [0x1F, 0x8B]), "gzip magic")
        let output = try GZip.decompress(compressed, limit: input.count)
        #expect(output == input)
    }

    @Test func compressAppendsAfterExistingBytes() throws {
        var buffer: [UInt8] = [1, 2, 3]
        try GZip.compress(Array("abc".utf8)[...], appendingTo: &buffer)
        #expect(buffer.prefix(3) == [1, 2, 3])
        #expect(try GZip.decompress(Array(buffer.dropFirst(3)), limit: 10) == Array("abc".utf8))
    }

    @Test func highlyCompressibleInputShrinks() throws {
        let input = Array(repeating: UInt8(7), count: 1 << 20)
        let compressed = try GZip.compress(input)
        #expect(compressed.count < 10_000)
    }

    @Test func decompressionBombIsStoppedAtTheLimit() throws {
        let bomb = try GZip.compress(Array(repeating: 0, count: 10 << 20))
        #expect(throws: GZipError.tooLarge(limit: 4096)) { try GZip.decompress(bomb, limit: 4096) }
    }

    @Test func limitIsInclusive() throws {
        let input = Array(repeating: UInt8(1), count: 1000)
        let compressed = try GZip.compress(input)
        #expect(try GZip.decompress(compressed, limit: 1000) == input)
        #expect(throws: GZipError.tooLarge(limit: 999)) { try GZip.decompress(compressed, limit: 999) }
        #expect(throws: GZipError.tooLarge(limit: 0)) { try GZip.decompress(compressed, limit: 0) }
    }

    @Test func unlimitedLimitDoesNotOverflow() throws {
        let input = Array("no limit".utf8)
        #expect(try GZip.decompress(try GZip.compress(input), limit: .max) == input)
    }

    @Test func notGzipIsCorrupt() {
        #expect(throws: GZipError.self) { try GZip.decompress(Array("plain text, not gzip".utf8), limit: 1000) }
        #expect(throws: GZipError.self) { try GZip.decompress([], limit: 1000) }
    }

    @Test func flippedPayloadByteIsCorrupt() throws {
        var compressed = try GZip.compress(Array("the quick brown fox jumps over the lazy dog".utf8))
        compressed[compressed.count - 6] ^= 0xFF  // inside the CRC32 trailer
        let error = try #require(throws: GZipError.self) { try GZip.decompress(compressed, limit: 1000) }
        guard case .corrupt = error else { Issue.record("expected corrupt, got \(error)"); return }
    }

    @Test func truncatedStreamIsCorrupt() throws {
        let compressed = try GZip.compress(Array(repeating: UInt8(9), count: 5000) + Array("tail".utf8))
        for cut in [1, 10, compressed.count / 2, compressed.count - 1] {
            let error = try #require(throws: GZipError.self) {
                try GZip.decompress(Array(compressed.prefix(cut)), limit: 1 << 20)
            }
            guard case .corrupt = error else { Issue.record("cut \(cut): expected corrupt, got \(error)"); continue }
        }
    }

    @Test func trailingGarbageIsCorrupt() throws {
        let compressed = try GZip.compress(Array("x".utf8)) + [1, 2, 3]
        let error = try #require(throws: GZipError.self) { try GZip.decompress(compressed, limit: 100) }
        #expect(error.description.contains("trailing"))
    }

    @Test func failedDecompressLeavesOutputUntouched() throws {
        var output: [UInt8] = [42]
        let bomb = try GZip.compress(Array(repeating: 0, count: 100_000))
        #expect(throws: GZipError.self) { try GZip.decompress(bomb[...], limit: 10, appendingTo: &output) }
        #expect(output == [42])
    }
}
