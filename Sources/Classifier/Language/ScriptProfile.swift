/// Letter counts per writing system in a folded message: the first, rule-based stage of
/// language identification (Thai → th, Hangul → ko, kana → ja, Han only → zh, Arabic → ar,
/// Cyrillic → ru/kk/uk/sr by their own letters, Vietnamese-only Latin letters → vi).
struct ScriptProfile: Sendable, Equatable {
    var latin = 0
    /// Latin letters that only Vietnamese uses (ơ ư ă đ ĩ ũ and the Latin Extended Additional
    /// vowels with tone marks: ạ ả ấ ầ ẩ ẫ ậ ắ ... ỹ).
    var vietnamese = 0
    var cyrillic = 0
    var kazakh = 0
    var ukrainian = 0
    var serbian = 0
    var arabic = 0
    var han = 0
    var kana = 0
    var hangul = 0
    var thai = 0
    var other = 0

    init() {}

    init(_ scalars: [UInt32]) {
        for code in scalars { add(code) }
    }

    @inline(__always)
    mutating func add(_ code: UInt32) {
        switch code {
        case 0x61...0x7A, 0xDF...0xFF, 0x100...0x24F:
            guard code != 0xF7 else { return }
            latin += 1
            if code == 0x1A1 || code == 0x1B0 || code == 0x103 || code == 0x111 || code == 0x129 || code == 0x169 {
                vietnamese += 1
            }
        case 0x1E00...0x1EFF:
            latin += 1
            if code >= 0x1EA0 { vietnamese += 1 }
        case 0x400...0x4FF:
            cyrillic += 1
            switch code {
            case 0x4D9, 0x493, 0x49B, 0x4A3, 0x4E9, 0x4B1, 0x4AF, 0x4BB: kazakh += 1
            case 0x454, 0x457, 0x491: ukrainian += 1
            case 0x452, 0x458, 0x459, 0x45A, 0x45B, 0x45F: serbian += 1
            default: break
            }
        case 0x620...0x64A, 0x66E...0x6D3, 0x750...0x77F, 0xFB50...0xFDFF, 0xFE70...0xFEFF:
            arabic += 1
        case 0x3040...0x309F, 0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F:
            if code != 0x30FB && code != 0x30FC { kana += 1 }   // ・ and ー also appear in Chinese
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF, 0x20000...0x3FFFF:
            han += 1
        case 0xAC00...0xD7A3, 0x1100...0x11FF, 0x3130...0x318F:
            hangul += 1
        case 0xE01...0xE5B:
            thai += 1
        default:
            if code >= 0x370 && CharacterTable.shared.charClass(code) == .letter { other += 1 }
        }
    }

    /// Letters weighted by how much one tells about the language: a Han character, kana or
    /// Hangul syllable counts as two letters.
    var weightedLetters: Int {
        latin + cyrillic + arabic + thai + other + 2 * (han + kana + hangul)
    }
}
