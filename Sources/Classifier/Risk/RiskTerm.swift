/// One lexicon entry: a term in its natural spelling, the language it belongs to and its category.
public struct RiskTerm: Sendable, Equatable {
    /// The term as written, without the `*` boundary markers.
    public var term: String
    /// ISO 639-1 code of the term's language.
    public var language: String
    public var category: RiskCategory
    /// The term may continue a longer word on its left (`*term` in the TSV).
    public var openStart: Bool
    /// The term may be the start of a longer word (`term*` in the TSV: "scam*" matches "scammer").
    public var openEnd: Bool
    /// Only reported when the message's language is `language` (or undetermined).
    public var strict: Bool

    public init(term: String, language: String, category: RiskCategory,
                openStart: Bool = false, openEnd: Bool = false, strict: Bool = false) {
        self.term = term
        self.language = language
        self.category = category
        self.openStart = openStart
        self.openEnd = openEnd
        self.strict = strict
    }
}

/// Errors found while reading a lexicon file.
public struct RiskLexiconError: Error, CustomStringConvertible, Equatable {
    public let line: Int
    public let message: String
    public var description: String { "lexicon line \(line): \(message)" }
}

extension RiskTerm {
    /// Parses the lexicon TSV: `term<TAB>language<TAB>category[<TAB>flags]`, `#` comments and blank
    /// lines ignored. A leading/trailing `*` on the term opens that word boundary; flag `strict`
    /// limits the term to messages in its own language.
    public static func parseTSV(_ text: String) throws(RiskLexiconError) -> [RiskTerm] {
        var terms: [RiskTerm] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 || fields.count == 4 else {
                throw RiskLexiconError(line: lineNumber, message: "expected 3 or 4 tab-separated fields, found \(fields.count)")
            }
            var term = Substring(fields[0])
            let openStart = term.hasPrefix("*")
            if openStart { term = term.dropFirst() }
            let openEnd = term.hasSuffix("*")
            if openEnd { term = term.dropLast() }
            guard !term.isEmpty else { throw RiskLexiconError(line: lineNumber, message: "empty term") }
            let language = fields[1]
            guard language.count == 2, language.allSatisfy({ $0.isASCII && $0.isLowercase }) else {
                throw RiskLexiconError(line: lineNumber, message: "language \"\(language)\" is not an ISO 639-1 code")
            }
            guard let category = RiskCategory(rawValue: fields[2]) else {
                throw RiskLexiconError(line: lineNumber, message: "unknown category \"\(fields[2])\"")
            }
            var strict = false
            if fields.count == 4 {
                for flag in fields[3].split(separator: ",") {
                    guard flag == "strict" else {
                        throw RiskLexiconError(line: lineNumber, message: "unknown flag \"\(flag)\"")
                    }
                    strict = true
                }
            }
            terms.append(RiskTerm(term: String(term), language: language, category: category,
                                  openStart: openStart, openEnd: openEnd, strict: strict))
        }
        return terms
    }
}
