/// Compiles lexicon terms into one Aho–Corasick automaton over folded text (`ScalarFold`) and
/// reports the matches that respect word boundaries. Shared by `RiskLexicon` (threat/risk
/// terms) and `ToneScorer` (anger words). Immutable, `Sendable`.
///
/// Each term is compiled in its folded spelling plus an accent-free spelling (except Vietnamese,
/// where accents distinguish words: "hàng giả" fake goods, "hàng giá rẻ" cheap goods).
/// Latin, Cyrillic, Arabic (space-delimited script) edges need a word boundary unless opened
/// with `*`; Han, kana, Hangul and Thai edges match anywhere.
struct TermMatcher: Sendable {
    struct Term: Sendable {
        var text: String
        var language: String
        var openStart: Bool
        var openEnd: Bool
    }

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

    private let automaton: AhoCorasick
    /// For each automaton pattern: index of its term, and its edge rules.
    private let patternTerm: [Int32]
    private let startEdge: [Edge]
    private let endEdge: [Edge]

    var patternCount: Int { patternTerm.count }

    init(terms: [Term]) {
        var patterns: [[UInt32]] = []
        var patternTerm: [Int32] = []
        var startEdge: [Edge] = []
        var endEdge: [Edge] = []
        var seen = Set<[UInt32]>()
        let scratch = FoldScratch()
        for (index, term) in terms.enumerated() {
            ScalarFold.fold(term.text, into: scratch)
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
        self.automaton = AhoCorasick(patterns: patterns)
        self.patternTerm = patternTerm
        self.startEdge = startEdge
        self.endEdge = endEdge
    }

    /// Calls `body(termIndex, start, end)` (folded-scalar offsets, end exclusive) for every match
    /// that respects its boundaries, in order of end position.
    @inline(__always)
    func forEachMatch(in scratch: FoldScratch, _ body: (Int, Int, Int) -> Void) {
        let scalars = scratch.scalars
        let classes = scratch.classes
        automaton.forEachMatch(in: scalars) { pattern, end in
            let start = end - Int(automaton.patternLengths[pattern])
            if start > 0 && Self.continues(startEdge[pattern], classes[start - 1]) { return }
            if end < scalars.count && Self.continues(endEdge[pattern], classes[end]) { return }
            body(Int(patternTerm[pattern]), start, end)
        }
    }

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
