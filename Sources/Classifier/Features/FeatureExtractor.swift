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

/// The working buffers of one extraction, moved out of the scratch for the duration of a call
/// (so the hot loops work on local arrays) and moved back afterwards.
struct FeatureAccumulator {
    struct Entry {
        var bucket: UInt32
        var slot: Int32
        var count: Float
        var weight: Float
    }

    var entries: [Entry] = []
    var slots: [Int32] = [Int32](repeating: -1, count: 1024)
    var buffer: [UInt32] = []

    init() {
        entries.reserveCapacity(512)
        buffer.reserveCapacity(128)
    }

    mutating func reset() {
        for entry in entries { slots[Int(entry.slot)] = -1 }
        entries.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    mutating func add(_ bucket: UInt32, _ weight: Float) {
        if (entries.count &+ 1) &* 2 > slots.count { grow() }
        let slotMask = slots.count &- 1
        var slot = Int((bucket &* 0x9E37_79B1) >> 7) & slotMask
        while true {
            let index = Int(slots[slot])
            if index < 0 {
                slots[slot] = Int32(truncatingIfNeeded: entries.count)
                entries.append(Entry(bucket: bucket, slot: Int32(truncatingIfNeeded: slot), count: 1, weight: weight))
                return
            }
            if entries[index].bucket == bucket {
                entries[index].count += 1
                return
            }
            slot = (slot &+ 1) & slotMask
        }
    }

    mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        let slotMask = capacity - 1
        for index in entries.indices {
            var slot = Int((entries[index].bucket &* 0x9E37_79B1) >> 7) & slotMask
            while slots[slot] >= 0 { slot = (slot + 1) & slotMask }
            slots[slot] = Int32(index)
            entries[index].slot = Int32(slot)
        }
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
        var acc = FeatureAccumulator()
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

    @inline(__always)
    private func charNGrams(_ scalars: [UInt32], _ start: Int, _ end: Int, minN: Int, maxN: Int, _ acc: inout FeatureAccumulator) {
        var buffer: [UInt32] = []
        swap(&buffer, &acc.buffer)   // take ownership so appends do not copy
        buffer.removeAll(keepingCapacity: true)
        buffer.append(Self.beginMarker)
        for i in start..<end { buffer.append(scalars[i]) }
        buffer.append(Self.endMarker)
        let length = buffer.count
        let mask = self.mask
        for i in 0..<length {
            var hasher = FNV1a(seed: Self.charSeed)
            var n = 0
            while n < maxN && i + n < length {
                hasher.combine(buffer[i + n])
                n += 1
                // A lone boundary marker is not a feature.
                if n >= minN && !(n == 1 && (i == 0 || i == length - 1)) {
                    acc.add(FNV1a.bucket(hasher.value, mask: mask), 1)
                }
            }
        }
        swap(&buffer, &acc.buffer)
    }

    private func finish(_ acc: inout FeatureAccumulator, into vector: inout SparseVector) {
        let table = Self.logTable
        let sublinear = settings.sublinearTF
        let useIDF = !idf.isEmpty
        var indices: [UInt32] = [], values: [Float] = []
        swap(&indices, &vector.indices)
        swap(&values, &vector.values)
        indices.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        var sum: Float = 0
        for entry in acc.entries {
            let tf = entry.count
            let scaled: Float = sublinear ? (tf <= 256 ? table[Int(tf)] : table[256]) : tf
            var value = scaled * entry.weight
            if useIDF { value *= idf[Int(entry.bucket)] }
            indices.append(entry.bucket)
            values.append(value)
            sum += value * value
        }
        let scale: Float = sum > 0 ? 1 / sum.squareRoot() : 0
        for i in 0..<values.count { values[i] *= scale }
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
