/// The working buffers of one extraction: an insertion-ordered open-addressing table that merges
/// repeated feature buckets (count + weight per bucket, in order of first appearance), plus a
/// hash buffer the extractors fill before adding. Moved out of the scratch for the
/// duration of a call (so the hot loops work on a local value) and moved back afterwards.
///
/// The hot loops run over `MutableSpan`s taken once per batch (`add(_:count:weight:)`): an
/// `Array` mutated through a struct held in a class re-checks uniqueness on every write.
struct FeatureAccumulator {
    struct Entry {
        var bucket: UInt32
        var slot: Int32
        var count: Float
        var weight: Float
    }

    /// Entries in order of first appearance; only the first `count` are valid. Always at least
    /// `slots.count / 2` long, so a batch that fits the table fits here.
    private(set) var storage: [Entry]
    private(set) var count = 0
    /// Index into `storage` per slot, -1 when empty. A power of two, kept at most half full.
    private var slots: [Int32]
    /// Scratch for callers: bucket hashes waiting to be added.
    var hashes: [UInt32] = []
    /// Scratch for callers: one word with its boundary markers.
    var word: [UInt32] = []

    init() {
        slots = [Int32](repeating: -1, count: 1024)
        storage = [Entry](repeating: Entry(bucket: 0, slot: 0, count: 0, weight: 0), count: 512)
        hashes = [UInt32](repeating: 0, count: 512)
    }

    private init(empty: Void) {
        storage = []
        slots = []
    }

    /// An empty value that allocates nothing: what a caller swaps into the scratch while it
    /// works on the real accumulator (never used to add features).
    static var placeholder: FeatureAccumulator { FeatureAccumulator(empty: ()) }

    /// The valid entries, in order of first appearance.
    var entries: ArraySlice<Entry> { storage[0..<count] }

    mutating func reset() {
        var slotArray: [Int32] = []
        swap(&slotArray, &slots)   // local ownership: spans of two fields of self would overlap
        do {
            var table = slotArray.mutableSpan
            let entries = storage.span
            for i in 0..<count { table[Int(entries[i].slot)] = -1 }
        }
        swap(&slotArray, &slots)
        count = 0
    }

    /// Makes `hashes` at least `capacity` long (contents unspecified).
    mutating func reserveHashes(_ capacity: Int) {
        if hashes.count < capacity { hashes = [UInt32](repeating: 0, count: max(capacity, 2 * hashes.count)) }
    }

    /// Adds one bucket (count 1, or one more when present).
    mutating func add(_ bucket: UInt32, _ weight: Float) {
        if hashes.isEmpty { hashes = [0] }
        hashes[0] = bucket
        add(hashesCount: 1, weight: weight)
    }

    /// Adds `hashes[0..<n]` in order, each as `add(_:_:)` would.
    mutating func add(hashesCount n: Int, weight: Float) {
        if (count &+ n) &* 2 > slots.count { grow(toHold: count &+ n) }
        var slotArray: [Int32] = [], entryArray: [Entry] = []
        swap(&slotArray, &slots)   // local ownership: spans of two fields of self would overlap
        swap(&entryArray, &storage)
        var used = count
        do {
            let source = hashes.span
            var table = slotArray.mutableSpan
            var entries = entryArray.mutableSpan
            let slotMask = table.count &- 1
            for i in 0..<n {
                let bucket = source[i]
                var slot = Int((bucket &* 0x9E37_79B1) >> 7) & slotMask
                while true {
                    let index = Int(table[slot])
                    if index < 0 {
                        table[slot] = Int32(truncatingIfNeeded: used)
                        entries[used] = Entry(bucket: bucket, slot: Int32(truncatingIfNeeded: slot), count: 1, weight: weight)
                        used &+= 1
                        break
                    }
                    if entries[index].bucket == bucket {
                        entries[index].count += 1
                        break
                    }
                    slot = (slot &+ 1) & slotMask
                }
            }
        }
        swap(&slotArray, &slots)
        swap(&entryArray, &storage)
        count = used
    }

    /// Doubles the table until `needed` entries keep it at most half full, and re-slots the entries.
    private mutating func grow(toHold needed: Int) {
        var capacity = max(slots.count, 2)
        while needed * 2 > capacity { capacity *= 2 }
        slots = [Int32](repeating: -1, count: capacity)
        if storage.count < capacity / 2 {
            storage += [Entry](repeating: Entry(bucket: 0, slot: 0, count: 0, weight: 0), count: capacity / 2 - storage.count)
        }
        let slotMask = capacity - 1
        for index in 0..<count {
            var slot = Int((storage[index].bucket &* 0x9E37_79B1) >> 7) & slotMask
            while slots[slot] >= 0 { slot = (slot + 1) & slotMask }
            slots[slot] = Int32(index)
            storage[index].slot = Int32(slot)
        }
    }

    /// Replaces `indices`/`values` with the entries in order of first appearance, each valued
    /// `value(entry)`, scaled to unit L2 norm (as `SparseVector.normalizeL2`: the same sum in
    /// the same order, the same scale). When the sum is not positive the values are left as they
    /// are, or with `zeroUnlessPositive` multiplied by 0 (what `FeatureExtractor` always did).
    @inline(__always)
    func writeVector(
        into indices: inout [UInt32], _ values: inout [Float], zeroUnlessPositive: Bool = false, value: (Entry) -> Float
    ) {
        let n = count
        indices.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        indices.append(contentsOf: repeatElement(0, count: n))
        values.append(contentsOf: repeatElement(0, count: n))
        var outIndices = indices.mutableSpan
        var outValues = values.mutableSpan
        let entries = storage.span
        var sum: Float = 0
        for i in 0..<n {
            let entry = entries[i]
            let v = value(entry)
            outIndices[i] = entry.bucket
            outValues[i] = v
            sum += v * v
        }
        guard sum > 0 || zeroUnlessPositive else { return }
        let scale: Float = sum > 0 ? 1 / sum.squareRoot() : 0
        for i in 0..<n { outValues[i] *= scale }
    }
}
