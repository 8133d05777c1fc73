/// Mapped scalars and their classes while phase 1 runs (moved out of the scratch so the loop
/// appends to local arrays).
struct MappedBuffer {
    var codes: [UInt32] = []
    var classes: [CharClass] = []

    @inline(__always)
    mutating func append(_ code: UInt32, _ charClass: CharClass) {
        codes.append(code)
        classes.append(charClass)
    }

    @inline(__always)
    mutating func appendSpace() {
        if let last = classes.last, last != .space { append(0x20, .space) }
    }

    /// Appends a mapped scalar, squeezing a letter repeated more than twice.
    @inline(__always)
    mutating func appendLetter(_ code: UInt32, _ charClass: CharClass) {
        if charClass == .letter || charClass == .noSpaceLetter {
            let n = codes.count
            if n >= 2 && codes[n - 1] == code && codes[n - 2] == code { return }
        }
        if charClass == .space {
            appendSpace()
            return
        }
        append(code, charClass)
    }
}

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
///    order ids (3+ digits mixed with at most twice as many letters, `#` + 3+ digits, or 6+
///    digits) → `<id>`;
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
        var buffer = MappedBuffer()
        swap(&buffer.codes, &scratch.mapped)
        swap(&buffer.classes, &scratch.classes)
        buffer.codes.removeAll(keepingCapacity: true)
        buffer.classes.removeAll(keepingCapacity: true)
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
                buffer.appendSpace()
            case .emoji:
                if buffer.codes.last != Placeholder.emoji.rawValue { buffer.append(Placeholder.emoji.rawValue, .emoji) }
            default:
                let packed = table.mapping(code)
                if packed == 0 {
                    buffer.appendLetter(code, charClass)
                } else {
                    let offset = Int(packed >> 4)
                    for index in offset..<offset + Int(packed & 0xF) {
                        let replacement = table.expansions[index]
                        buffer.appendLetter(replacement, table.charClass(replacement))
                    }
                }
            }
        }
        swap(&buffer.codes, &scratch.mapped)
        swap(&buffer.classes, &scratch.classes)
    }

    // MARK: Phase 2: chunks → tokens.

    private func tokenize(_ scratch: TextScratch) {
        var out = TokenBuffer()
        out.take(from: scratch)
        defer { out.give(to: scratch) }
        let mapped = scratch.mapped
        let classes = scratch.classes
        let count = classes.count
        var index = 0
        while index < count {
            let charClass = classes[index]
            if charClass == .space { index += 1; continue }
            if charClass == .emoji {
                out.emitPlaceholder(.emoji)
                index += 1
                continue
            }
            var end = index
            while end < count && classes[end] != .space && classes[end] != .emoji { end += 1 }
            chunk(index, end, mapped, classes, &out)
            index = end
        }
    }

    private func chunk(_ start: Int, _ end: Int, _ mapped: [UInt32], _ classes: [CharClass], _ out: inout TokenBuffer) {
        var s = start, e = end
        var hashPrefix = false
        while s < e && (classes[s] == .punct || classes[s] == .symbol) {
            if mapped[s] == 0x23 { hashPrefix = true }
            s += 1
        }
        while e > s && (classes[e - 1] == .punct || classes[e - 1] == .symbol) { e -= 1 }
        if s == e { return }

        var letters = 0, digits = 0, noSpace = 0, at = -1, dots = 0, otherSymbols = 0
        for i in s..<e {
            switch classes[i] {
            case .letter: letters += 1
            case .noSpaceLetter: noSpace += 1
            case .digit: digits += 1
            default:
                let code = mapped[i]
                if code == 0x40 { at = i }
                if code == 0x2E { dots += 1 }
                // Characters an order id may contain: - _ / # .
                if code != 0x2D && code != 0x5F && code != 0x2F && code != 0x23 && code != 0x2E { otherSymbols += 1 }
            }
        }
        if letters > 0 && noSpace == 0 {
            if at > s && dots > 0 && mapped[at + 1..<e].contains(0x2E) {
                out.emitPlaceholder(.email)
                return
            }
            if isURL(mapped, s, e) {
                out.emitPlaceholder(.url)
                return
            }
            // An order id mixes letters and digits ("ORD-7781A", "240312ABC7781"); a word with a
            // number glued on ("refunding$1499", "iphone13") is split instead.
            if digits >= 3 && digits * 2 >= letters && otherSymbols == 0 && e - s <= 32 {
                out.emitPlaceholder(.orderID)
                return
            }
        }

        var i = s
        while i < e {
            switch classes[i] {
            case .letter, .mark:
                var j = i + 1
                while j < e && (classes[j] == .letter || classes[j] == .mark) { j += 1 }
                out.emitRun(mapped, i, j, .word)
                i = j
            case .noSpaceLetter:
                var j = i + 1
                while j < e && (classes[j] == .noSpaceLetter || classes[j] == .mark) { j += 1 }
                out.emitRun(mapped, i, j, .noSpace)
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
                out.emitPlaceholder(isID ? .orderID : .number)
                i = j
            default:
                i += 1
            }
        }
    }

    /// "http://", "https://", "www." as scalar values.
    private static let urlPrefixes: [[UInt32]] = ["http://", "https://", "www."].map { $0.unicodeScalars.map(\.value) }

    private func isURL(_ mapped: [UInt32], _ s: Int, _ e: Int) -> Bool {
        func hasPrefix(_ prefix: [UInt32]) -> Bool {
            if e - s < prefix.count { return false }
            for k in 0..<prefix.count where mapped[s + k] != prefix[k] { return false }
            return true
        }
        // Cheap first-scalar test: every prefix starts with "h" or "w".
        if s < e && (mapped[s] == 0x68 || mapped[s] == 0x77) {
            for prefix in Self.urlPrefixes where hasPrefix(prefix) { return true }
        }
        // host.tld or host.tld/path: the last dot-separated label before any '/' is a known TLD.
        var hostEnd = e
        for i in s..<e where mapped[i] == 0x2F { hostEnd = i; break }
        var lastDot = -1
        for i in s..<hostEnd where mapped[i] == 0x2E { lastDot = i }
        guard lastDot > s + 1, lastDot + 2 <= hostEnd else { return false }
        return Self.topLevelDomains.contains(Array(mapped[lastDot + 1..<hostEnd]))
    }
}

/// The token output while phase 2 runs (moved out of the scratch so appends are local).
struct TokenBuffer {
    var scalars: [UInt32] = []
    var starts: [Int] = []
    var ends: [Int] = []
    var kinds: [TokenKind] = []

    mutating func take(from scratch: TextScratch) {
        swap(&scalars, &scratch.scalars)
        swap(&starts, &scratch.tokenStarts)
        swap(&ends, &scratch.tokenEnds)
        swap(&kinds, &scratch.tokenKinds)
        scalars.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        kinds.removeAll(keepingCapacity: true)
    }

    mutating func give(to scratch: TextScratch) {
        swap(&scalars, &scratch.scalars)
        swap(&starts, &scratch.tokenStarts)
        swap(&ends, &scratch.tokenEnds)
        swap(&kinds, &scratch.tokenKinds)
    }

    @inline(__always)
    mutating func emitRun(_ mapped: [UInt32], _ start: Int, _ end: Int, _ kind: TokenKind) {
        if !scalars.isEmpty { scalars.append(0x20) }
        starts.append(scalars.count)
        for i in start..<end { scalars.append(mapped[i]) }
        ends.append(scalars.count)
        kinds.append(kind)
    }

    @inline(__always)
    mutating func emitPlaceholder(_ placeholder: Placeholder) {
        if !scalars.isEmpty { scalars.append(0x20) }
        starts.append(scalars.count)
        scalars.append(placeholder.rawValue)
        ends.append(scalars.count)
        kinds.append(.placeholder)
    }
}
