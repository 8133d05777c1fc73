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

    /// Fills `scratch.vector` from `scratch.scalars`. Extra (cue) buckets can be appended by the
    /// caller afterwards.
    func extract(_ scratch: FoldScratch) {
        scratch.hashes.removeAll(keepingCapacity: true)
        let scalars = scratch.scalars
        let classes = scratch.classes
        let count = scalars.count
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
            // Character n-grams over " word ".
            let length = end - index + 2
            for start in 0..<length {
                var hasher = FNV1a(seed: seed)
                for order in 1...maxOrder {
                    let position = start + order - 1
                    if position >= length { break }
                    let code: UInt32 = (position == 0 || position == length - 1) ? 0x20 : scalars[index + position - 1]
                    hasher.combine(code)
                    if order == 1 && code == 0x20 { continue }
                    var h = hasher
                    h.combine(0xF000 + UInt32(order))
                    scratch.hashes.append(FNV1a.bucket(h.value, mask: mask))
                }
            }
            // The word itself.
            var word = FNV1a(seed: seed ^ 0x5757)
            for position in index..<end { word.combine(scalars[position]) }
            scratch.hashes.append(FNV1a.bucket(word.value, mask: mask))
            if wordBigrams && previousWord != 0 {
                var bigram = FNV1a(seed: seed ^ 0xB1B1)
                bigram.combine(UInt32(truncatingIfNeeded: previousWord))
                bigram.combine(UInt32(truncatingIfNeeded: previousWord >> 32))
                bigram.combine(UInt32(truncatingIfNeeded: word.value))
                bigram.combine(UInt32(truncatingIfNeeded: word.value >> 32))
                scratch.hashes.append(FNV1a.bucket(bigram.value, mask: mask))
            }
            previousWord = word.value
            index = end
        }
        // Count duplicates with an open-addressing table kept in the scratch (no sort: the
        // standard library's sort may allocate a merge buffer).
        scratch.vector.removeAll()
        let hashes = scratch.hashes
        if scratch.slotKeys.count < 2 * hashes.count {
            var capacity = 256
            while capacity < 2 * hashes.count { capacity <<= 1 }
            scratch.slotKeys = [UInt32](repeating: UInt32.max, count: capacity)
            scratch.slotCounts = [UInt32](repeating: 0, count: capacity)
        }
        let slotMask = scratch.slotKeys.count - 1
        scratch.touched.removeAll(keepingCapacity: true)
        for bucket in hashes {
            var slot = Int(bucket &* 0x9E37_79B1) & slotMask
            while true {
                let key = scratch.slotKeys[slot]
                if key == bucket { scratch.slotCounts[slot] += 1; break }
                if key == UInt32.max {
                    scratch.slotKeys[slot] = bucket
                    scratch.slotCounts[slot] = 1
                    scratch.touched.append(slot)
                    break
                }
                slot = (slot + 1) & slotMask
            }
        }
        for slot in scratch.touched {
            scratch.vector.append(scratch.slotKeys[slot], Float(scratch.slotCounts[slot]).squareRoot())
            scratch.slotKeys[slot] = UInt32.max
        }
        scratch.vector.normalizeL2()
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
