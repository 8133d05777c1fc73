/// Placeholder scalars (Private Use Area) that stand in for numbers, order ids, URLs, e-mail
/// addresses and emoji in normalised text. Private Use scalars in the input are treated as
/// spaces, so a placeholder can only come from the normaliser.
public enum Placeholder: UInt32, Sendable, CaseIterable {
    case number = 0xE001, orderID = 0xE002, url = 0xE003, email = 0xE004, emoji = 0xE005

    public var display: String {
        switch self {
        case .number: "<num>"
        case .orderID: "<id>"
        case .url: "<url>"
        case .email: "<email>"
        case .emoji: "<emoji>"
        }
    }
}

public enum TokenKind: UInt8, Sendable {
    /// A word of a space-delimited script (Latin, Arabic, Cyrillic, Hangul, ...).
    case word
    /// A run of a script written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar).
    case noSpace
    /// One placeholder scalar.
    case placeholder
}

/// Reusable buffers for one normalisation at a time. Not thread-safe: each thread (or call)
/// uses its own.
public final class TextScratch {
    var mapped: [UInt32] = []
    var classes: [CharClass] = []
    /// The normalised text: tokens separated by one space (0x20).
    public internal(set) var scalars: [UInt32] = []
    public internal(set) var tokenStarts: [Int] = []
    public internal(set) var tokenEnds: [Int] = []
    public internal(set) var tokenKinds: [TokenKind] = []

    public init() {
        mapped.reserveCapacity(256)
        classes.reserveCapacity(256)
        scalars.reserveCapacity(256)
    }

    public var tokenCount: Int { tokenStarts.count }

    /// Token `index` rendered as a string (placeholders as "<num>", "<id>", ...).
    public func token(_ index: Int) -> String {
        var result = ""
        for position in tokenStarts[index]..<tokenEnds[index] {
            let code = scalars[position]
            if let placeholder = Placeholder(rawValue: code) {
                result += placeholder.display
            } else if let scalar = Unicode.Scalar(code) {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    public var tokens: [String] { (0..<tokenCount).map(token) }
}

/// Text normalisation for buyer messages, in pure Swift over Unicode scalars (no grapheme
/// breaking, no Foundation):
///
/// 1. every scalar goes through the generated table: NFKC + case folding, Latin/Greek/Cyrillic
///    accents removed, Arabic letter variants unified and harakat/tatweel dropped, all decimal
///    digits to ASCII, invisible characters (zero-width, bidi marks, BOM, variation selectors,
///    soft hyphen) and apostrophes dropped, whitespace and controls to one space;
/// 2. a letter repeated more than twice is squeezed to two ("soooo" → "soo");
/// 3. emoji (runs collapse to one) → `<emoji>`; URLs → `<url>`; e-mail addresses → `<email>`;
///    order ids (letters mixed with 3+ digits, `#` + 3+ digits, or 6+ digits) → `<id>`;
///    other numbers (with `.`/`,` separators) → `<num>`;
/// 4. tokens: words of space-delimited scripts, runs of no-space scripts (split from adjacent
///    Latin/digits), placeholders; punctuation separates tokens and is dropped.
///
/// Only the first `maxScalars` scalars of a message are read, so cost is bounded.
public struct TextNormalizer: Sendable {
    public var maxScalars: Int

    public init(maxScalars: Int = 2000) { self.maxScalars = maxScalars }

    static let topLevelDomains: Set<[UInt32]> = Set([
        "com", "net", "org", "io", "co", "me", "shop", "store", "ly", "gl", "id", "my", "th", "vn", "ph", "sa", "ae",
        "eg", "uk", "de", "fr", "es", "br", "cn", "jp", "kr", "tr", "in", "info", "biz", "app", "link", "ru", "it", "nl",
        "mx", "ar", "pt", "sg", "tw", "hk", "au", "ca", "us", "page",
    ].map { $0.unicodeScalars.map(\.value) })

    /// Convenience for tests and tools: the tokens of `text` after normalisation.
    public func tokens(_ text: String) -> [String] {
        let scratch = TextScratch()
        normalize(text, into: scratch)
        return scratch.tokens
    }

    public func normalize(_ text: String, into scratch: TextScratch) {
        mapScalars(text, into: scratch)
        tokenize(scratch)
    }

    // MARK: Phase 1: map scalars, drop invisibles, squeeze repeats.

    private func mapScalars(_ text: String, into scratch: TextScratch) {
        let table = CharacterTable.shared
        scratch.mapped.removeAll(keepingCapacity: true)
        scratch.classes.removeAll(keepingCapacity: true)
        var remaining = maxScalars
        for scalar in text.unicodeScalars {
            remaining -= 1
            if remaining < 0 { break }
            let code = scalar.value
            let charClass = table.charClass(code)
            switch charClass {
            case .drop:
                continue
            case .space:
                if let last = scratch.classes.last, last != .space { append(0x20, .space, scratch) }
            case .emoji:
                if scratch.mapped.last != Placeholder.emoji.rawValue { append(Placeholder.emoji.rawValue, .emoji, scratch) }
            default:
                let packed = table.mapping(code)
                if packed == 0 {
                    appendLetter(code, charClass, scratch)
                } else {
                    let offset = Int(packed >> 4)
                    for index in offset..<offset + Int(packed & 0xF) {
                        let replacement = table.expansions[index]
                        appendLetter(replacement, table.charClass(replacement), scratch)
                    }
                }
            }
        }
    }

    @inline(__always)
    private func append(_ code: UInt32, _ charClass: CharClass, _ scratch: TextScratch) {
        scratch.mapped.append(code)
        scratch.classes.append(charClass)
    }

    @inline(__always)
    private func appendLetter(_ code: UInt32, _ charClass: CharClass, _ scratch: TextScratch) {
        if charClass == .letter || charClass == .noSpaceLetter {
            let n = scratch.mapped.count
            if n >= 2 && scratch.mapped[n - 1] == code && scratch.mapped[n - 2] == code { return }
        }
        if charClass == .space {
            if let last = scratch.classes.last, last != .space { append(0x20, .space, scratch) }
            return
        }
        append(code, charClass, scratch)
    }

    // MARK: Phase 2: chunks → tokens.

    private func tokenize(_ scratch: TextScratch) {
        scratch.scalars.removeAll(keepingCapacity: true)
        scratch.tokenStarts.removeAll(keepingCapacity: true)
        scratch.tokenEnds.removeAll(keepingCapacity: true)
        scratch.tokenKinds.removeAll(keepingCapacity: true)
        let classes = scratch.classes
        let count = classes.count
        var index = 0
        while index < count {
            let charClass = classes[index]
            if charClass == .space { index += 1; continue }
            if charClass == .emoji {
                emitPlaceholder(.emoji, scratch)
                index += 1
                continue
            }
            var end = index
            while end < count && classes[end] != .space && classes[end] != .emoji { end += 1 }
            chunk(index, end, scratch)
            index = end
        }
    }

    private func chunk(_ start: Int, _ end: Int, _ scratch: TextScratch) {
        let mapped = scratch.mapped
        let classes = scratch.classes
        var s = start, e = end
        var hashPrefix = false
        while s < e && (classes[s] == .punct || classes[s] == .symbol) {
            if mapped[s] == 0x23 { hashPrefix = true }
            s += 1
        }
        while e > s && (classes[e - 1] == .punct || classes[e - 1] == .symbol) { e -= 1 }
        if s == e { return }

        var letters = 0, digits = 0, noSpace = 0, at = -1, dots = 0
        for i in s..<e {
            switch classes[i] {
            case .letter: letters += 1
            case .noSpaceLetter: noSpace += 1
            case .digit: digits += 1
            default:
                if mapped[i] == 0x40 { at = i }
                if mapped[i] == 0x2E { dots += 1 }
            }
        }
        if letters > 0 && noSpace == 0 {
            if at > s && dots > 0 && mapped[at + 1..<e].contains(0x2E) {
                emitPlaceholder(.email, scratch)
                return
            }
            if isURL(mapped, s, e) {
                emitPlaceholder(.url, scratch)
                return
            }
            if digits >= 3 && e - s <= 32 {
                emitPlaceholder(.orderID, scratch)
                return
            }
        }

        var i = s
        while i < e {
            switch classes[i] {
            case .letter, .mark:
                var j = i + 1
                while j < e && (classes[j] == .letter || classes[j] == .mark) { j += 1 }
                emitRun(i, j, .word, scratch)
                i = j
            case .noSpaceLetter:
                var j = i + 1
                while j < e && (classes[j] == .noSpaceLetter || classes[j] == .mark) { j += 1 }
                emitRun(i, j, .noSpace, scratch)
                i = j
            case .digit:
                var j = i + 1
                var runDigits = 1
                var separated = false
                while j < e {
                    if classes[j] == .digit {
                        runDigits += 1
                        j += 1
                    } else if (mapped[j] == 0x2E || mapped[j] == 0x2C) && j + 1 < e && classes[j + 1] == .digit {
                        separated = true
                        j += 1
                    } else {
                        break
                    }
                }
                let hashed = hashPrefix && i == s
                let isID = (!separated && runDigits >= 6) || (hashed && runDigits >= 3)
                emitPlaceholder(isID ? .orderID : .number, scratch)
                i = j
            default:
                i += 1
            }
        }
    }

    private func isURL(_ mapped: [UInt32], _ s: Int, _ e: Int) -> Bool {
        func hasPrefix(_ prefix: String) -> Bool {
            var i = s
            for unit in prefix.unicodeScalars {
                if i >= e || mapped[i] != unit.value { return false }
                i += 1
            }
            return true
        }
        if hasPrefix("http://") || hasPrefix("https://") || hasPrefix("www.") { return true }
        // host.tld or host.tld/path: the last dot-separated label before any '/' is a known TLD.
        var hostEnd = e
        for i in s..<e where mapped[i] == 0x2F { hostEnd = i; break }
        var lastDot = -1
        for i in s..<hostEnd where mapped[i] == 0x2E { lastDot = i }
        guard lastDot > s + 1, lastDot + 2 <= hostEnd else { return false }
        return Self.topLevelDomains.contains(Array(mapped[lastDot + 1..<hostEnd]))
    }

    @inline(__always)
    private func emitRun(_ start: Int, _ end: Int, _ kind: TokenKind, _ scratch: TextScratch) {
        if !scratch.scalars.isEmpty { scratch.scalars.append(0x20) }
        scratch.tokenStarts.append(scratch.scalars.count)
        for i in start..<end { scratch.scalars.append(scratch.mapped[i]) }
        scratch.tokenEnds.append(scratch.scalars.count)
        scratch.tokenKinds.append(kind)
    }

    @inline(__always)
    private func emitPlaceholder(_ placeholder: Placeholder, _ scratch: TextScratch) {
        if !scratch.scalars.isEmpty { scratch.scalars.append(0x20) }
        scratch.tokenStarts.append(scratch.scalars.count)
        scratch.scalars.append(placeholder.rawValue)
        scratch.tokenEnds.append(scratch.scalars.count)
        scratch.tokenKinds.append(.placeholder)
    }
}
