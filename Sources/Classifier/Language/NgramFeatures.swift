/// Hashed features over folded text (`FoldScratch`): character n-grams of order 1...`maxOrder`
/// inside each word padded with a boundary marker (" ab" / "ab "), the word itself, and
/// optionally word bigrams. Words are runs of letters/marks (any script; Han, kana and Thai runs
/// are one "word" each, so their n-grams carry the signal). Values are `sqrt(count)`, then the
/// vector is scaled to unit length. Deterministic (FNV-1a), allocation-free after the scratch
/// has grown.
struct NgramFeatures: Sendable, Equatable {
    /// log2 of the number of hash buckets.
    let bucketBits: Int
    let maxOrder: Int
    let wordBigrams: Bool
    /// Mixed into every hash so two models never share buckets by accident.
    let seed: UInt64

    var dimension: Int { 1 << bucketBits }
    var mask: UInt64 { UInt64(dimension - 1) }

    /// Longest word (in scalars) whose n-grams are extracted; longer runs (CJK sentences) are
    /// cut into windows of this size.
    static let maxWordLength = 32

    /// `Float(k).squareRoot()` for the common small counts (the same values, without a square
    /// root per feature).
    static let squareRoots: [Float] = (0..<64).map { Float($0).squareRoot() }

    /// Fills `scratch.vector` from `scratch.scalars`. Extra (cue) buckets can be appended by the
    /// caller afterwards.
    ///
    /// Features are counted as they are hashed, in an insertion-ordered open-addressing table
    /// (`FeatureAccumulator`, moved out of the scratch for the call so the hot loop works on a
    /// local value: no uniqueness checks on class-held arrays per feature); the vector lists the
    /// buckets in order of first appearance with `sqrt(count)`, then is scaled to unit length.
    func extract(_ scratch: FoldScratch) {
        var acc = FeatureAccumulator.placeholder
        swap(&acc, &scratch.ngrams)
        acc.reset()
        let allScalars = scratch.scalars
        let allClasses = scratch.classes
        let count = allScalars.count
        let seed = self.seed, mask = self.mask, maxOrder = self.maxOrder, wordBigrams = self.wordBigrams
        // Per word of L scalars: at most (L + 2) x maxOrder n-grams, the word and a bigram.
        acc.reserveHashes(count * (3 * maxOrder + 2) + 2)
        var hashes: [UInt32] = []
        swap(&hashes, &acc.hashes)   // take ownership so writes do not copy
        var n = 0
        var paddedWord: [UInt32] = []
        swap(&paddedWord, &acc.word)
        if paddedWord.count < Self.maxWordLength + 2 { paddedWord = [UInt32](repeating: 0, count: Self.maxWordLength + 2) }
        do {
            var out = hashes.mutableSpan
            var padded = paddedWord.mutableSpan
            let scalars = allScalars.span
            let classes = allClasses.span
            var index = 0
            var previousWord: UInt64 = 0
            while index < count {
                let charClass = classes[index]
                guard charClass == .letter || charClass == .noSpaceLetter || charClass == .mark else {
                    if charClass != .space { previousWord = 0 }
                    index += 1
                    continue
                }
                var end = index + 1
                while end < count && end - index < Self.maxWordLength
                    && (classes[end] == .letter || classes[end] == .noSpaceLetter || classes[end] == .mark) {
                    end += 1
                }
                // Character n-grams over " word " (copied with its space markers into `padded`).
                let length = end - index + 2
                padded[0] = 0x20
                for k in 0..<(end - index) { padded[k + 1] = scalars[index + k] }
                padded[length - 1] = 0x20
                for start in 0..<length {
                    var hasher = FNV1a(seed: seed)
                    let orders = min(length - start, maxOrder)
                    for next in 0..<orders {
                        let order = next + 1
                        let code = padded[start + next]
                        hasher.combine(code)
                        // A lone marker is not a feature (words hold no spaces).
                        if order == 1 && code == 0x20 { continue }
                        var h = hasher
                        h.combine(0xF000 + UInt32(truncatingIfNeeded: order))
                        out[n] = FNV1a.bucket(h.value, mask: mask)
                        n += 1
                    }
                }
                // The word itself.
                var word = FNV1a(seed: seed ^ 0x5757)
                for position in index..<end { word.combine(scalars[position]) }
                out[n] = FNV1a.bucket(word.value, mask: mask)
                n += 1
                if wordBigrams && previousWord != 0 {
                    var bigram = FNV1a(seed: seed ^ 0xB1B1)
                    bigram.combine(UInt32(truncatingIfNeeded: previousWord))
                    bigram.combine(UInt32(truncatingIfNeeded: previousWord >> 32))
                    bigram.combine(UInt32(truncatingIfNeeded: word.value))
                    bigram.combine(UInt32(truncatingIfNeeded: word.value >> 32))
                    out[n] = FNV1a.bucket(bigram.value, mask: mask)
                    n += 1
                }
                previousWord = word.value
                index = end
            }
        }
        swap(&hashes, &acc.hashes)
        swap(&paddedWord, &acc.word)
        acc.add(hashesCount: n, weight: 1)
        var indices: [UInt32] = [], values: [Float] = []
        swap(&indices, &scratch.vector.indices)
        swap(&values, &scratch.vector.values)
        let roots = Self.squareRoots
        acc.writeVector(into: &indices, &values) { entry in
            entry.count < 64 ? roots[Int(entry.count)] : entry.count.squareRoot()
        }
        swap(&indices, &scratch.vector.indices)
        swap(&values, &scratch.vector.values)
        swap(&acc, &scratch.ngrams)
    }

    /// A fixed bucket for a named extra feature (e.g. a tone cue).
    func bucket(named name: String) -> UInt32 {
        var hasher = FNV1a(seed: seed ^ 0xC0E5)
        for scalar in name.unicodeScalars { hasher.combine(scalar.value) }
        return FNV1a.bucket(hasher.value, mask: mask)
    }

    func write(to writer: inout ByteWriter) {
        writer.write(UInt8(bucketBits))
        writer.write(UInt8(maxOrder))
        writer.write(wordBigrams)
        writer.write(seed)
    }

    init(bucketBits: Int, maxOrder: Int, wordBigrams: Bool, seed: UInt64) {
        self.bucketBits = bucketBits
        self.maxOrder = maxOrder
        self.wordBigrams = wordBigrams
        self.seed = seed
    }

    init(reading reader: inout ByteReader) throws(ModelFileError) {
        let bits = Int(try reader.readUInt8())
        let order = Int(try reader.readUInt8())
        let bigrams = try reader.readBool()
        let seed = try reader.readUInt64()
        guard (8...24).contains(bits), (1...6).contains(order) else {
            throw .malformed(reader.section, "feature settings \(bits) bits / order \(order) are impossible")
        }
        self.init(bucketBits: bits, maxOrder: order, wordBigrams: bigrams, seed: seed)
    }
}
