/// What a normalised scalar is, for tokenisation.
enum CharClass: UInt8 {
    case drop = 0, space, punct, digit, letter, noSpaceLetter, mark, emoji, symbol
}

/// Lookup tables built once (lazily, thread-safe) from `NormalizationTables`: a class and an
/// optional replacement for every scalar. Basic Multilingual Plane scalars are direct array
/// lookups; the rest use a binary search / dictionary (rare in buyer text apart from emoji).
struct CharacterTable: Sendable {
    static let shared = CharacterTable()

    let bmpClass: [CharClass]
    /// 0 = unchanged; otherwise `offset << 4 | length` into `expansions`.
    let bmpMap: [UInt32]
    let expansions: [UInt32]
    let highStarts: [UInt32]
    let highClasses: [UInt8]
    let highMap: [UInt32: UInt32]

    private init() {
        var starts: [UInt32] = []
        var classes: [UInt8] = []
        for entry in NormalizationTables.classRanges.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = entry.split(separator: ":")
            starts.append(UInt32(parts[0], radix: 16)!)
            classes.append(UInt8(parts[1])!)
        }
        var bmpClass = [CharClass](repeating: .drop, count: 0x10000)
        for (index, start) in starts.enumerated() where start < 0x10000 {
            let end = index + 1 < starts.count ? min(starts[index + 1], 0x10000) : 0x10000
            let charClass = CharClass(rawValue: classes[index])!
            for code in Int(start)..<Int(end) { bmpClass[code] = charClass }
        }
        var bmpMap = [UInt32](repeating: 0, count: 0x10000)
        var expansions: [UInt32] = [0]   // offset 0 is never used, so 0 can mean "unchanged"
        var highMap: [UInt32: UInt32] = [:]
        for entry in NormalizationTables.mappings.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = entry.split(separator: ":")
            let code = UInt32(parts[0], radix: 16)!
            let replacement = parts[1].split(separator: ".").map { UInt32($0, radix: 16)! }
            let packed = UInt32(expansions.count) << 4 | UInt32(replacement.count)
            expansions.append(contentsOf: replacement)
            if code < 0x10000 { bmpMap[Int(code)] = packed } else { highMap[code] = packed }
        }
        self.bmpClass = bmpClass
        self.bmpMap = bmpMap
        self.expansions = expansions
        self.highStarts = starts
        self.highClasses = classes
        self.highMap = highMap
    }

    @inline(__always)
    func charClass(_ code: UInt32) -> CharClass {
        if code < 0x10000 { return bmpClass[Int(code)] }
        var low = 0, high = highStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if highStarts[mid] <= code { low = mid } else { high = mid - 1 }
        }
        return CharClass(rawValue: highClasses[low])!
    }

    @inline(__always)
    func mapping(_ code: UInt32) -> UInt32 {
        code < 0x10000 ? bmpMap[Int(code)] : (highMap[code] ?? 0)
    }
}
