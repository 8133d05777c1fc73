/// Per-call buffers for feature extraction (normalised text, a small open-addressing table that
/// merges repeated features, the output vector). Reuse one per thread; never share one between
/// threads at the same time.
public final class FeatureScratch {
    public let text = TextScratch()
    public internal(set) var vector = SparseVector()
    var accumulator = FeatureAccumulator()

    public init() {
        vector.indices.reserveCapacity(512)
        vector.values.reserveCapacity(512)
    }
}

/// Hashed features for one message: character n-grams (with word-boundary markers) for every
/// script, word unigrams and bigrams for space-delimited scripts, placeholders as words;
/// FNV-1a into `2^bucketBits` buckets; term frequency (sublinear by default) times a group
/// weight; L2-normalised. Allocation-free after the scratch has warmed up.
public struct FeatureExtractor: Sendable {
    public let settings: FeatureSettings
    public let normalizer: TextNormalizer
    /// Inverse document frequency per bucket (empty = none), learnt from the training rows.
    public let idf: [Float]
    private let mask: UInt64

    static let charSeed: UInt64 = FNV1a.offsetBasis ^ 0x0101
    static let wordSeed: UInt64 = FNV1a.offsetBasis ^ 0x0202
    static let bigramSeed: UInt64 = FNV1a.offsetBasis ^ 0x0303
    static let beginMarker: UInt32 = 0x02
    static let endMarker: UInt32 = 0x03
    static let logTable: [Float] = (0...256).map { $0 == 0 ? 0 : 1 + Float(logApprox(Double($0))) }

    public init(settings: FeatureSettings, idf: [Float] = []) {
        precondition(idf.isEmpty || idf.count == settings.bucketCount, "one IDF weight per bucket")
        self.settings = settings
        self.idf = idf
        self.normalizer = TextNormalizer(maxScalars: settings.maxScalars)
        self.mask = UInt64(settings.bucketCount - 1)
    }

    /// Allocating convenience (training, tools); scoring uses `extract(_:into:)`.
    public func features(_ text: String) -> SparseVector {
        let scratch = FeatureScratch()
        extract(text, into: scratch)
        return scratch.vector
    }

    /// Fills `scratch.vector` with the features of `text`.
    public func extract(_ text: String, into scratch: FeatureScratch) {
        normalizer.normalize(text, into: scratch.text)
        var acc = FeatureAccumulator.placeholder
        swap(&acc, &scratch.accumulator)
        acc.reset()
        let t = scratch.text
        let scalars = t.scalars, starts = t.tokenStarts, ends = t.tokenEnds, kinds = t.tokenKinds
        var previousWord: UInt64? = nil
        let wordWeight = settings.wordWeight
        let mask = self.mask
        let acrossWords = settings.charNGramsAcrossWords
        var runStart = -1, runEnd = -1   // a run of consecutive words/placeholders (acrossWords)
        for token in 0..<kinds.count {
            let start = starts[token], end = ends[token]
            let kind = kinds[token]
            if kind == .noSpace {
                if runStart >= 0 {
                    charNGrams(scalars, runStart, runEnd, minN: settings.charMinN, maxN: settings.charMaxN, &acc)
                    runStart = -1
                }
                charNGrams(scalars, start, end, minN: settings.noSpaceMinN, maxN: settings.noSpaceMaxN, &acc)
                previousWord = nil
                continue
            }
            if acrossWords {
                if runStart < 0 { runStart = start }
                runEnd = end
            } else if kind == .word {
                charNGrams(scalars, start, end, minN: settings.charMinN, maxN: settings.charMaxN, &acc)
            }
            var hasher = FNV1a(seed: Self.wordSeed)
            for i in start..<end { hasher.combine(scalars[i]) }
            let word = hasher.value
            if settings.wordUnigrams { acc.add(FNV1a.bucket(word, mask: mask), wordWeight) }
            if settings.wordBigrams, let previous = previousWord {
                var bigram = FNV1a(seed: Self.bigramSeed)
                bigram.combine(UInt32(truncatingIfNeeded: previous))
                bigram.combine(UInt32(truncatingIfNeeded: previous >> 32))
                bigram.combine(UInt32(truncatingIfNeeded: word))
                bigram.combine(UInt32(truncatingIfNeeded: word >> 32))
                acc.add(FNV1a.bucket(bigram.value, mask: mask), wordWeight)
            }
            previousWord = word
        }
        if runStart >= 0 { charNGrams(scalars, runStart, runEnd, minN: settings.charMinN, maxN: settings.charMaxN, &acc) }
        finish(&acc, into: &scratch.vector)
        swap(&acc, &scratch.accumulator)
    }

    /// Adds the character n-grams of `scalars[start..<end]` framed by the begin/end markers:
    /// hashed into `acc.hashes` first (one span, no per-feature array checks), then added as one
    /// batch in the same order.
    @inline(__always)
    private func charNGrams(_ scalars: [UInt32], _ start: Int, _ end: Int, minN: Int, maxN: Int, _ acc: inout FeatureAccumulator) {
        let length = end - start + 2
        acc.reserveHashes(length * maxN)
        var hashes: [UInt32] = [], word: [UInt32] = []
        swap(&hashes, &acc.hashes)   // take ownership so writes do not copy
        swap(&word, &acc.word)
        if word.count < length { word = [UInt32](repeating: 0, count: max(length, 64)) }
        var n = 0
        do {
            var out = hashes.mutableSpan
            var padded = word.mutableSpan   // the token framed by its markers
            let text = scalars.span
            padded[0] = Self.beginMarker
            for k in 0..<(end - start) { padded[k + 1] = text[start + k] }
            padded[length - 1] = Self.endMarker
            let mask = self.mask
            for i in 0..<length {
                var hasher = FNV1a(seed: Self.charSeed)
                let orders = min(length - i, maxN)
                for next in 0..<orders {
                    hasher.combine(padded[i + next])
                    let k = next + 1
                    // A lone boundary marker is not a feature.
                    if k >= minN && !(k == 1 && (i == 0 || i == length - 1)) {
                        out[n] = FNV1a.bucket(hasher.value, mask: mask)
                        n += 1
                    }
                }
            }
        }
        swap(&hashes, &acc.hashes)
        swap(&word, &acc.word)
        acc.add(hashesCount: n, weight: 1)
    }

    private func finish(_ acc: inout FeatureAccumulator, into vector: inout SparseVector) {
        let table = Self.logTable
        let sublinear = settings.sublinearTF
        let useIDF = !idf.isEmpty
        let idf = self.idf
        var indices: [UInt32] = [], values: [Float] = []
        swap(&indices, &vector.indices)
        swap(&values, &vector.values)
        acc.writeVector(into: &indices, &values, zeroUnlessPositive: true) { entry in
            let tf = entry.count
            let scaled: Float = sublinear ? (tf <= 256 ? table[Int(tf)] : table[256]) : tf
            var value = scaled * entry.weight
            if useIDF { value *= idf[Int(entry.bucket)] }
            return value
        }
        swap(&indices, &vector.indices)
        swap(&values, &vector.values)
    }
}

extension FeatureExtractor {
    /// Smoothed IDF over `vectors` (as scikit-learn): ln((1 + n) / (1 + df)) + 1.
    public static func inverseDocumentFrequency(_ vectors: [SparseVector], buckets: Int) -> [Float] {
        var df = [Int32](repeating: 0, count: buckets)
        for vector in vectors { for index in vector.indices { df[Int(index)] += 1 } }
        let n = Double(vectors.count)
        return df.map { Float(logApprox((1 + n) / (1 + Double($0))) + 1) }
    }
}

/// Natural logarithm by range reduction + atanh series (used to build small tables only).
func logApprox(_ x: Double) -> Double {
    precondition(x > 0)
    var m = x
    var exponent = 0.0
    while m > 2 { m /= 2; exponent += 1 }
    while m < 1 { m *= 2; exponent -= 1 }
    let y = (m - 1) / (m + 1)
    let y2 = y * y
    var term = y
    var sum = 0.0
    var k = 1.0
    while abs(term) > 1e-17 {
        sum += term / k
        term *= y2
        k += 2
    }
    return 2 * sum + exponent * 0.693_147_180_559_945_3
}
