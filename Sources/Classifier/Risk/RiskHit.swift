/// One lexicon match in a message.
public struct RiskHit: Sendable, Equatable {
    /// The lexicon term that matched (its natural spelling, not the message's).
    public let term: String
    public let category: RiskCategory
    /// Language of the term (not necessarily the message's).
    public let language: String
    /// Where the match is in the message, in Unicode scalar offsets of the input string.
    public let range: Range<Int>

    public init(term: String, category: RiskCategory, language: String, range: Range<Int>) {
        self.term = term
        self.category = category
        self.language = language
        self.range = range
    }
}
