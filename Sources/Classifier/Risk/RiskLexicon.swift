/// Multilingual threat and high-risk term lexicon, matched in one Aho–Corasick pass over the
/// folded message (`ScalarFold`: case, width, Arabic variants folded; Latin accents kept). Each
/// term is compiled in its folded spelling plus an accent-free spelling (except Vietnamese, where
/// accents distinguish words), so "policía", "POLICIA" and "policia" all hit.
///
/// Latin, Cyrillic, Arabic (and other space-delimited) terms must sit on word boundaries unless
/// the term opens one with `*`; Han, kana, Hangul and Thai terms match anywhere (no spaces, or
/// particles glued to the noun). Immutable and `Sendable`: one instance is shared by all threads,
/// each call uses its own `FoldScratch`.
public final class RiskLexicon: Sendable {
    public let terms: [RiskTerm]
    private let automaton: AhoCorasick
    /// For each automaton pattern: index into `terms`, and whether each end needs a boundary.
    private let patternTerm: [Int32]
    private let startEdge: [Edge]
    private let endEdge: [Edge]

    /// What must not continue past a pattern's edge for the match to count.
    enum Edge: UInt8, Sendable {
        /// Open edge (`*`), or a no-space script: anything may follow.
        case open
        /// A letter of a space-delimited script: no letter, mark or digit may continue it.
        case letter
        /// A digit: no digit or letter of a space-delimited script may continue it
        /// ("1 star" not inside "11 stars"; "ให้1ดาว" still matches "1ดาว").
        case digit
    }

    public init(terms: [RiskTerm]) {
        var patterns: [[UInt32]] = []
        var patternTerm: [Int32] = []
        var startEdge: [Edge] = []
        var endEdge: [Edge] = []
        var seen = Set<[UInt32]>()
        let scratch = FoldScratch()
        for (index, term) in terms.enumerated() {
            ScalarFold.fold(term.term, into: scratch)
            var spelling = scratch.scalars
            while spelling.last == 0x20 { spelling.removeLast() }
            while spelling.first == 0x20 { spelling.removeFirst() }
            guard !spelling.isEmpty else { continue }
            var spellings = [spelling]
            if term.language != "vi" {
                let bare = ScalarFold.stripAccents(spelling)
                if bare != spelling && !bare.isEmpty { spellings.append(bare) }
            }
            for pattern in spellings {
                // One pattern per (spelling, term): the same spelling in two languages keeps both.
                var key = pattern
                key.append(0xFFFF_FFFF)
                key.append(UInt32(index))
                guard seen.insert(key).inserted else { continue }
                patterns.append(pattern)
                patternTerm.append(Int32(index))
                startEdge.append(term.openStart ? .open : Self.edge(pattern[0]))
                endEdge.append(term.openEnd ? .open : Self.edge(pattern[pattern.count - 1]))
            }
        }
        self.terms = terms
        self.automaton = AhoCorasick(patterns: patterns)
        self.patternTerm = patternTerm
        self.startEdge = startEdge
        self.endEdge = endEdge
    }

    /// Convenience: parse a lexicon TSV (see `RiskTerm.parseTSV`) and build the automaton.
    public convenience init(tsv: String) throws(RiskLexiconError) {
        self.init(terms: try RiskTerm.parseTSV(tsv))
    }

    /// Number of compiled spellings (terms plus their accent-free variants).
    public var patternCount: Int { patternTerm.count }

    /// The boundary rule of a term edge: letters and digits of space-delimited scripts need a
    /// boundary, except Hangul (Korean particles attach to nouns: 경찰에, 사기예요).
    private static func edge(_ code: UInt32) -> Edge {
        if (0xAC00...0xD7A3).contains(code) || (0x1100...0x11FF).contains(code) || (0x3130...0x318F).contains(code) {
            return .open
        }
        switch ScalarFold.charClass(code) {
        case .letter: return .letter
        case .digit: return .digit
        default: return .open
        }
    }

    /// Every lexicon hit in `text`, ordered by position. `language`, when known (a code other
    /// than "und"), suppresses `strict` terms of other languages. One hit per (range, category):
    /// when a spelling exists in several languages the message's language is preferred.
    public func matches(_ text: String, language: String? = nil) -> [RiskHit] {
        matches(text, language: language, scratch: FoldScratch())
    }

    /// Same as `matches(_:language:)`, reusing the caller's scratch buffers.
    public func matches(_ text: String, language: String?, scratch: FoldScratch) -> [RiskHit] {
        ScalarFold.fold(text, into: scratch)
        return matchesInFolded(scratch, language: language)
    }

    /// Matches over text already folded into `scratch` (so one fold can serve several models).
    public func matchesInFolded(_ scratch: FoldScratch, language: String?) -> [RiskHit] {
        let messageLanguage = (language == nil || language == "und") ? nil : language
        var hits: [RiskHit] = []
        let scalars = scratch.scalars
        let classes = scratch.classes
        let origins = scratch.origins
        automaton.forEachMatch(in: scalars) { pattern, end in
            let start = end - Int(automaton.patternLengths[pattern])
            if start > 0 && Self.continues(startEdge[pattern], classes[start - 1]) { return }
            if end < scalars.count && Self.continues(endEdge[pattern], classes[end]) { return }
            let term = terms[Int(patternTerm[pattern])]
            if term.strict, let messageLanguage, messageLanguage != term.language { return }
            let range = Int(origins[start])..<Int(origins[end - 1]) + 1
            if let same = hits.lastIndex(where: { $0.range == range && $0.category == term.category }) {
                if hits[same].language != messageLanguage && term.language == messageLanguage {
                    hits[same] = RiskHit(term: term.term, category: term.category, language: term.language, range: range)
                }
                return
            }
            hits.append(RiskHit(term: term.term, category: term.category, language: term.language, range: range))
        }
        return hits
    }

    /// Whether a neighbouring scalar of class `neighbour` continues the word at `edge`.
    @inline(__always)
    private static func continues(_ edge: Edge, _ neighbour: CharClass) -> Bool {
        switch edge {
        case .open: return false
        case .letter: return neighbour == .letter || neighbour == .mark || neighbour == .digit
        case .digit: return neighbour == .digit || neighbour == .letter
        }
    }
}
