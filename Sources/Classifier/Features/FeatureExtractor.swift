/// Per-call buffers for feature extraction (normalised text, a small open-addressing table that
/// merges repeated features, the output vector). Reuse one per thread; never share one between
/// threads at the same time.
public final class FeatureScratch {
    public let text = TextScratch()
    public internal(set) var vector = SparseVector()
    var groupWeights: [Float] = []
    var slots: [Int32] = [Int32](repeating: -1, count: 1024)
    var touched: [Int] = []
    var boundaryBuffer: [UInt32] = []

    public init() {
        vector.indices.reserveCapacity(512)
        vector.values.reserveCapacity(512)
        groupWeights.reserveCapacity(512)
        touched.reserveCapacity(512)
        boundaryBuffer.reserveCapacity(128)
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
        begin(scratch)
        let t = scratch.text
        var previousWord: UInt64? = nil
        let wordWeight = settings.wordWeight
        for token in 0..<t.tokenCount {
            let start = t.tokenStarts[token], end = t.tokenEnds[token]
            let kind = t.tokenKinds[token]
            if kind == .noSpace {
                charNGrams(start, end, minN: settings.noSpaceMinN, maxN: settings.noSpaceMaxN, scratch)
                previousWord = nil
                continue
            }
            if kind == .word { charNGrams(start, end, minN: settings.charMinN, maxN: settings.charMaxN, scratch) }
            var hasher = FNV1a(seed: Self.wordSeed)
            for i in start..<end { hasher.combine(t.scalars[i]) }
            let word = hasher.value
            if settings.wordUnigrams { add(FNV1a.bucket(word, mask: mask), wordWeight, scratch) }
            if settings.wordBigrams, let previous = previousWord {
                var bigram = FNV1a(seed: Self.bigramSeed)
                bigram.combine(UInt32(truncatingIfNeeded: previous))
                bigram.combine(UInt32(truncatingIfNeeded: previous >> 32))
                bigram.combine(UInt32(truncatingIfNeeded: word))
                bigram.combine(UInt32(truncatingIfNeeded: word >> 32))
                add(FNV1a.bucket(bigram.value, mask: mask), wordWeight, scratch)
            }
            previousWord = word
        }
        finish(scratch)
    }

    private func charNGrams(_ start: Int, _ end: Int, minN: Int, maxN: Int, _ scratch: FeatureScratch) {
        var buffer: [UInt32] = []
        swap(&buffer, &scratch.boundaryBuffer)   // take ownership so appends do not copy
        buffer.removeAll(keepingCapacity: true)
        buffer.append(Self.beginMarker)
        for i in start..<end { buffer.append(scratch.text.scalars[i]) }
        buffer.append(Self.endMarker)
        let length = buffer.count
        for i in 0..<length {
            var hasher = FNV1a(seed: Self.charSeed)
            var n = 0
            while n < maxN && i + n < length {
                hasher.combine(buffer[i + n])
                n += 1
                // A lone boundary marker is not a feature.
                if n >= minN && !(n == 1 && (i == 0 || i == length - 1)) {
                    add(FNV1a.bucket(hasher.value, mask: mask), 1, scratch)
                }
            }
        }
        scratch.boundaryBuffer = buffer
    }

    private func begin(_ scratch: FeatureScratch) {
        for slot in scratch.touched { scratch.slots[slot] = -1 }
        scratch.touched.removeAll(keepingCapacity: true)
        scratch.vector.removeAll()
        scratch.groupWeights.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private func add(_ bucket: UInt32, _ weight: Float, _ scratch: FeatureScratch) {
        if (scratch.vector.indices.count + 1) * 2 > scratch.slots.count { grow(scratch) }
        let slotMask = scratch.slots.count - 1
        var slot = Int((bucket &* 0x9E37_79B1) >> 7) & slotMask
        while true {
            let entry = scratch.slots[slot]
            if entry < 0 {
                scratch.slots[slot] = Int32(scratch.vector.indices.count)
                scratch.touched.append(slot)
                scratch.vector.append(bucket, 1)
                scratch.groupWeights.append(weight)
                return
            }
            if scratch.vector.indices[Int(entry)] == bucket {
                scratch.vector.values[Int(entry)] += 1
                return
            }
            slot = (slot + 1) & slotMask
        }
    }

    private func grow(_ scratch: FeatureScratch) {
        let capacity = scratch.slots.count * 2
        scratch.slots = [Int32](repeating: -1, count: capacity)
        scratch.touched.removeAll(keepingCapacity: true)
        let slotMask = capacity - 1
        for (index, bucket) in scratch.vector.indices.enumerated() {
            var slot = Int((bucket &* 0x9E37_79B1) >> 7) & slotMask
            while scratch.slots[slot] >= 0 { slot = (slot + 1) & slotMask }
            scratch.slots[slot] = Int32(index)
            scratch.touched.append(slot)
        }
    }

    private func finish(_ scratch: FeatureScratch) {
        let count = scratch.vector.values.count
        var sum: Float = 0
        for i in 0..<count {
            let tf = scratch.vector.values[i]
            let scaled: Float
            if settings.sublinearTF {
                scaled = tf <= 256 ? Self.logTable[Int(tf)] : Self.logTable[256]
            } else {
                scaled = tf
            }
            var value = scaled * scratch.groupWeights[i]
            if !idf.isEmpty { value *= idf[Int(scratch.vector.indices[i])] }
            scratch.vector.values[i] = value
            sum += value * value
        }
        guard sum > 0 else { return }
        let scale = 1 / sum.squareRoot()
        for i in 0..<count { scratch.vector.values[i] *= scale }
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
