/// The language of a message: an ISO 639-1 code ("und" when the text is too short or the model
/// is unsure) and a confidence in [0, 1] (the calibrated probability of `code`; for "und", the
/// probability of the best guess that was rejected, 0 when there was nothing to go on).
public struct LanguageGuess: Sendable, Equatable, CustomStringConvertible {
    public let code: String
    public let confidence: Double

    public init(code: String, confidence: Double) {
        self.code = code
        self.confidence = confidence
    }

    public static let undetermined = "und"

    public var isDetermined: Bool { code != Self.undetermined }

    public var description: String {
        let percent = (confidence * 1000).rounded() / 10
        return "\(code) (\(percent)%)"
    }
}

/// A training sentence for the language identifier.
public struct LanguageSample: Sendable, Equatable {
    public var text: String
    /// ISO 639-1 code.
    public var language: String

    public init(text: String, language: String) {
        self.text = text
        self.language = language
    }
}
