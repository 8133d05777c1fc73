/// Multilingual threat and high-risk term lexicon, matched in one Aho–Corasick pass over the
/// folded message (`ScalarFold`: case, width, Arabic variants folded; Latin accents kept). Each
/// term is compiled in its folded spelling plus an accent-free spelling (except Vietnamese, where
/// accents distinguish words), so "policía", "POLICIA" and "policia" all hit. Boundary rules:
/// see `TermMatcher`.
///
/// Immutable and `Sendable`: one instance is shared by all threads, each call uses its own
/// `FoldScratch`.
public final class RiskLexicon: Sendable {
    public let terms: [RiskTerm]
    private let matcher: TermMatcher

    public init(terms: [RiskTerm]) {
        self.terms = terms
        self.matcher = TermMatcher(terms: terms.map {
            TermMatcher.Term(text: $0.term, language: $0.language, openStart: $0.openStart, openEnd: $0.openEnd)
        })
    }

    /// Convenience: parse a lexicon TSV (see `RiskTerm.parseTSV`) and build the automaton.
    public convenience init(tsv: String) throws(RiskLexiconError) {
        self.init(terms: try RiskTerm.parseTSV(tsv))
    }

    /// Number of compiled spellings (terms plus their accent-free variants).
    public var patternCount: Int { matcher.patternCount }

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
        let origins = scratch.origins
        matcher.forEachMatch(in: scratch) { index, start, end in
            let term = terms[index]
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
}
