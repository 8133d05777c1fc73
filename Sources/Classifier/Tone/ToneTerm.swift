/// An anger/negativity word for the tone model's lexical cue (`Data/lexicons/anger.tsv`).
public struct ToneTerm: Sendable, Equatable {
    public var term: String
    /// ISO 639-1 code.
    public var language: String
    public var openStart: Bool
    public var openEnd: Bool

    public init(term: String, language: String, openStart: Bool = false, openEnd: Bool = false) {
        self.term = term
        self.language = language
        self.openStart = openStart
        self.openEnd = openEnd
    }

    /// `term<TAB>language` lines, `#` comments; `*` opens a word boundary as in `risk.tsv`.
    public static func parseTSV(_ text: String) throws(RiskLexiconError) -> [ToneTerm] {
        var terms: [ToneTerm] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else {
                throw RiskLexiconError(line: lineNumber, message: "expected 2 tab-separated fields, found \(fields.count)")
            }
            var term = fields[0]
            let openStart = term.hasPrefix("*")
            if openStart { term = term.dropFirst() }
            let openEnd = term.hasSuffix("*")
            if openEnd { term = term.dropLast() }
            guard !term.isEmpty else { throw RiskLexiconError(line: lineNumber, message: "empty term") }
            let language = String(fields[1])
            guard language.count == 2, language.allSatisfy({ $0.isASCII && $0.isLowercase }) else {
                throw RiskLexiconError(line: lineNumber, message: "language \"\(language)\" is not an ISO 639-1 code")
            }
            terms.append(ToneTerm(term: String(term), language: language, openStart: openStart, openEnd: openEnd))
        }
        return terms
    }

    var matcherTerm: TermMatcher.Term {
        TermMatcher.Term(text: term, language: language, openStart: openStart, openEnd: openEnd)
    }
}
