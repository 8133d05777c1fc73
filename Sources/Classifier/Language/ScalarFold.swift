/// Reusable buffers for one `ScalarFold.fold` at a time. Not thread-safe: each call (or thread)
/// uses its own, so the shared models stay immutable.
public final class FoldScratch {
    /// The folded text, one entry per output scalar.
    public internal(set) var scalars: [UInt32] = []
    /// Character class of each folded scalar (same order as `scalars`).
    var classes: [CharClass] = []
    /// Offset (in Unicode scalars of the input string) each folded scalar came from.
    public internal(set) var origins: [Int32] = []
    /// Surface cues counted while folding (for the tone model).
    public internal(set) var cues = SurfaceCues()
    /// Feature buffer reused by `NgramFeatures`.
    var vector = SparseVector()
    /// Insertion-ordered count table for `NgramFeatures`.
    var ngrams = FeatureAccumulator()
    /// Logit buffers, one per model so switching models never reallocates.
    var languageScores: [Float] = []
    var toneScores: [Float] = []

    public init() {
        scalars.reserveCapacity(256)
        classes.reserveCapacity(256)
        origins.reserveCapacity(256)
        vector.indices.reserveCapacity(512)
        vector.values.reserveCapacity(512)
        languageScores.reserveCapacity(32)
        toneScores.reserveCapacity(2)
    }

    public var count: Int { scalars.count }
}

/// Counts of surface signals that normalisation erases: capitals, `!` and `?` runs.
public struct SurfaceCues: Sendable, Equatable {
    public var letters = 0
    public var uppercase = 0
    public var exclamations = 0
    public var questions = 0
    /// Longest run of `!`/`?` (mixed) in the input.
    public var longestPunctuationRun = 0

    public init() {}

    /// Share of cased letters written in capitals, 0 when there are fewer than 4 letters.
    public var capsRatio: Double {
        letters >= 4 ? Double(uppercase) / Double(letters) : 0
    }
}

/// Folding used by language identification and the risk lexicon: like `TextNormalizer`'s table
/// (NFKC, case folding, Arabic variants unified, harakat/tatweel/invisibles dropped, digits to
/// ASCII, full-width to ASCII) but apostrophes are kept as punctuation and **Latin letters keep their accents** (only lower-cased), because
/// accents identify languages (ñ, ã, ç, ß, ş, ơ) and tell Vietnamese words apart. Runs of spaces
/// collapse to one; punctuation is kept (it separates words). No tokenisation, no placeholders.
/// Works on `String.UnicodeScalarView`, with no per-character allocation.
public enum ScalarFold {
    /// Folds `text` into `scratch` (reads at most `maxScalars` scalars of the input).
    public static func fold(_ text: String, into scratch: FoldScratch, maxScalars: Int = 2000) {
        let table = CharacterTable.shared
        // The output arrays are moved into a local buffer for the loop (appends to arrays held
        // by a class re-check uniqueness every time) and moved back at the end.
        var out = FoldOutput()
        out.take(from: scratch)
        var cues = SurfaceCues()
        var punctuationRun = 0
        var offset: Int32 = -1
        for scalar in text.unicodeScalars {
            offset += 1
            if Int(offset) >= maxScalars { break }
            let code = scalar.value
            if code == 0x21 || code == 0x3F || code == 0xFF01 || code == 0xFF1F || code == 0x061F {
                if code == 0x21 || code == 0xFF01 { cues.exclamations += 1 } else { cues.questions += 1 }
                punctuationRun += 1
                if punctuationRun > cues.longestPunctuationRun { cues.longestPunctuationRun = punctuationRun }
            } else {
                punctuationRun = 0
            }
            if let lower = latinLowercase(code) {
                cues.letters += 1
                if lower != code { cues.uppercase += 1 }
                out.append(lower, .letter, offset)
                continue
            }
            if code == 0x27 || code == 0x2019 || code == 0x2018 || code == 0x60 || code == 0xB4 || code == 0x2BC || code == 0xFF07 {
                // Apostrophes separate words here ("Şikayetvar'a", "l'addebito"); the normaliser drops them.
                out.append(0x27, .punct, offset)
                continue
            }
            let charClass = table.charClass(code)
            switch charClass {
            case .drop:
                continue
            case .space, .emoji:
                if let last = out.classes.last, last != .space { out.append(0x20, .space, offset) }
            default:
                if charClass == .letter && code >= 0x370 && code < 0x530 {
                    cues.letters += 1
                    if scalar.properties.isUppercase { cues.uppercase += 1 }
                }
                let packed = table.mapping(code)
                if packed == 0 {
                    out.append(code, charClass, offset)
                } else {
                    let start = Int(packed >> 4)
                    for index in start..<start + Int(packed & 0xF) {
                        let replacement = table.expansions[index]
                        let replacementClass = table.charClass(replacement)
                        if replacementClass == .space {
                            if let last = out.classes.last, last != .space { out.append(0x20, .space, offset) }
                        } else {
                            out.append(replacement, replacementClass, offset)
                        }
                    }
                }
            }
        }
        out.give(to: scratch)
        scratch.cues = cues
    }

    /// The fold's output while the loop runs (moved out of the scratch so appends are local).
    private struct FoldOutput {
        var scalars: [UInt32] = []
        var classes: [CharClass] = []
        var origins: [Int32] = []

        mutating func take(from scratch: FoldScratch) {
            swap(&scalars, &scratch.scalars)
            swap(&classes, &scratch.classes)
            swap(&origins, &scratch.origins)
            scalars.removeAll(keepingCapacity: true)
            classes.removeAll(keepingCapacity: true)
            origins.removeAll(keepingCapacity: true)
        }

        mutating func give(to scratch: FoldScratch) {
            swap(&scalars, &scratch.scalars)
            swap(&classes, &scratch.classes)
            swap(&origins, &scratch.origins)
        }

        @inline(__always)
        mutating func append(_ code: UInt32, _ charClass: CharClass, _ origin: Int32) {
            scalars.append(code)
            classes.append(charClass)
            origins.append(origin)
        }
    }

    /// Lower-case form of a Latin letter with its accents kept; nil for anything that is not a
    /// Latin letter (those go through the normalisation table).
    @inline(__always)
    static func latinLowercase(_ code: UInt32) -> UInt32? {
        switch code {
        case 0x41...0x5A: return code + 0x20
        case 0x61...0x7A: return code
        case 0xC0...0xDE where code != 0xD7: return code + 0x20
        case 0xDF...0xFF where code != 0xF7: return code
        case 0x130: return 0x69                          // İ → i
        case 0x131: return code                          // ı
        case 0x100...0x137: return code | 1              // pairs: even upper, odd lower
        case 0x138: return code
        case 0x139...0x148: return code & 1 == 1 ? code + 1 : code
        case 0x149: return code
        case 0x14A...0x177: return code | 1
        case 0x178: return 0xFF                          // Ÿ
        case 0x179...0x17E: return code & 1 == 1 ? code + 1 : code
        case 0x17F: return 0x73                          // long s
        case 0x1A0, 0x1AF: return code + 1               // Ơ Ư (Vietnamese)
        case 0x1A1, 0x1B0: return code
        case 0x218...0x21B: return code | 1              // Ș ș Ț ț
        case 0x1E9E: return 0xDF                         // ẞ
        case 0x1E00...0x1EFF: return code | 1
        default: return nil
        }
    }

    /// The fully folded form of a scalar sequence (accents removed as in `TextNormalizer`, and
    /// dotless ı → i): used to give lexicon terms an accent-free spelling.
    static func stripAccents(_ scalars: [UInt32]) -> [UInt32] {
        let table = CharacterTable.shared
        var result: [UInt32] = []
        result.reserveCapacity(scalars.count)
        for code in scalars {
            if code == 0x131 { result.append(0x69); continue }
            let charClass = table.charClass(code)
            if charClass == .drop { continue }
            let packed = table.mapping(code)
            if packed == 0 {
                result.append(code)
            } else {
                let start = Int(packed >> 4)
                for index in start..<start + Int(packed & 0xF) { result.append(table.expansions[index]) }
            }
        }
        return result
    }

    /// Character class of a folded scalar.
    @inline(__always)
    static func charClass(_ code: UInt32) -> CharClass {
        latinLowercase(code) != nil ? .letter : CharacterTable.shared.charClass(code)
    }
}
