/// A training message for the tone model: negative/angry or not.
public struct ToneSample: Sendable, Equatable {
    public var text: String
    /// True for angry or negative messages.
    public var negative: Bool
    /// ISO 639-1 code of the text.
    public var language: String
    /// Where it came from ("wisesight", "prdect_id", "authored"), for per-source reports.
    public var source: String

    public init(text: String, negative: Bool, language: String, source: String) {
        self.text = text
        self.negative = negative
        self.language = language
        self.source = source
    }
}
