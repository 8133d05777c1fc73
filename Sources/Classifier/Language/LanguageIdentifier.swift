/// Language identification for buyer messages.
///
/// Stage 1 (rules, `ScriptProfile`): a script that only one supported language uses decides:
/// Thai → th, Hangul → ko, any kana → ja, Han without kana → zh, Arabic → ar, Cyrillic → ru
/// (kk, uk, sr when their own letters appear), Latin with Vietnamese-only letters → vi.
/// Stage 2 (Latin script): a multinomial logistic model over hashed character 1–4-grams with word
/// boundary markers plus word unigrams (`NgramFeatures`), trained by `train(samples:)`, with a
/// temperature fitted on held-out sentences so its probability is calibrated.
/// "und" when there are fewer than three letters (Han/kana/Hangul count double) or the best
/// probability is under `minimumConfidence`. A caller's hint (e.g. the shop's locale) acts as a
/// prior: it wins when it agrees with the script and the model is unsure.
///
/// Immutable and `Sendable`; scoring is pure computation over a per-call `FoldScratch`.
public final class LanguageIdentifier: Sendable {
    /// The languages the identifier is built and tested for.
    public static let supportedLanguages: [String] = [
        "en", "es", "pt", "fr", "de", "it", "nl", "tr", "ar", "zh", "ja", "ko", "id", "ms", "th", "vi", "tl", "ru",
    ]
    /// Languages the script rules decide without the Latin model (plus the Cyrillic extras).
    static let scriptLanguages: Set<String> = ["ar", "zh", "ja", "ko", "th", "ru", "kk", "uk", "sr"]

    /// Class labels of the Latin-script model (the supported Latin languages, plus any other
    /// Latin-script language the training data had enough sentences of, e.g. da, lt, sr).
    public let latinLanguages: [String]
    let weights: LinearWeights
    let features: NgramFeatures
    /// Softmax temperature fitted on held-out sentences.
    public let temperature: Float
    /// Below this calibrated probability the answer is "und".
    public let minimumConfidence: Double

    init(latinLanguages: [String], weights: LinearWeights, features: NgramFeatures, temperature: Float,
         minimumConfidence: Double) {
        precondition(latinLanguages.count == weights.classCount && features.dimension == weights.dimension)
        self.latinLanguages = latinLanguages
        self.weights = weights
        self.features = features
        self.temperature = temperature
        self.minimumConfidence = minimumConfidence
    }

    /// Identifies the language of `text`. `hint`: an ISO 639-1 code (or a locale like "pt-BR")
    /// the caller believes likely.
    public func identify(_ text: String, hint: String? = nil) -> LanguageGuess {
        identify(text, hint: hint, scratch: FoldScratch())
    }

    public func identify(_ text: String, hint: String?, scratch: FoldScratch) -> LanguageGuess {
        ScalarFold.fold(text, into: scratch)
        return identifyFolded(scratch, hint: hint)
    }

    /// Identification over text already folded into `scratch`.
    public func identifyFolded(_ scratch: FoldScratch, hint rawHint: String?) -> LanguageGuess {
        let hint = Self.normalizeHint(rawHint)
        let profile = ScriptProfile(scratch.scalars)
        let letters = profile.weightedLetters
        if letters == 0 { return LanguageGuess(code: LanguageGuess.undetermined, confidence: 0) }

        // Stage 1: non-Latin scripts (no collections here: this runs per message).
        var bestCount = 0
        var bestScript = -1
        @inline(__always) func consider(_ count: Int, _ script: Int) {
            if count > bestCount { bestCount = count; bestScript = script }
        }
        consider(2 * (profile.han + profile.kana), 0)
        consider(2 * profile.hangul, 1)
        consider(profile.thai, 2)
        consider(profile.arabic, 3)
        consider(profile.cyrillic, 4)
        if bestScript >= 0 && (bestCount * 10 >= letters * 3 || profile.latin < 3) {
            let share = Double(bestCount) / Double(letters)
            var code: String
            switch bestScript {
            case 0:
                // Han without kana is Chinese unless the caller says Japanese.
                code = profile.kana > 0 || (hint == "ja" && profile.hangul == 0) ? "ja" : "zh"
            case 1: code = "ko"
            case 2: code = "th"
            case 3:
                code = "ar"
                if hint == "fa" || hint == "ur" { code = hint! }
            default:
                if profile.kazakh > 0 { code = "kk" }
                else if profile.ukrainian > 0 { code = "uk" }
                else if profile.serbian > 0 { code = "sr" }
                else {
                    code = "ru"
                    if let hint, hint == "uk" || hint == "bg" || hint == "be" || hint == "mk" || hint == "sr" || hint == "kk" {
                        code = hint
                    }
                }
            }
            if letters < 3 {
                if let hint, hint == code { return LanguageGuess(code: code, confidence: 0.5) }
                return LanguageGuess(code: LanguageGuess.undetermined, confidence: 0.5)
            }
            let lengthFactor = letters >= 6 ? 0.99 : 0.9
            return LanguageGuess(code: code, confidence: min(0.99, share) * lengthFactor)
        }

        // Vietnamese-only letters.
        if profile.vietnamese >= 2 || (profile.vietnamese == 1 && profile.latin < 12) {
            let confidence = profile.vietnamese >= 2 ? 0.98 : 0.85
            return LanguageGuess(code: "vi", confidence: confidence)
        }

        // Stage 2: the Latin model.
        features.extract(scratch)
        weights.logits(scratch.vector, into: &scratch.languageScores)
        softmaxInPlace(&scratch.languageScores, temperature: temperature)
        var top = 0
        var hintIndex = -1
        if let hint, let index = latinLanguages.firstIndex(of: hint) { hintIndex = index }
        if hintIndex >= 0 {
            // The hint as a prior: half the mass on the hinted language, the rest spread evenly.
            let k = Float(latinLanguages.count)
            let other: Float = 0.5 / (k - 1)
            var sum: Float = 0
            for c in 0..<scratch.languageScores.count {
                scratch.languageScores[c] *= (c == hintIndex ? 0.5 : other) * k
                sum += scratch.languageScores[c]
            }
            for c in 0..<scratch.languageScores.count { scratch.languageScores[c] /= sum }
        }
        for c in 1..<scratch.languageScores.count where scratch.languageScores[c] > scratch.languageScores[top] { top = c }
        let probability = Double(scratch.languageScores[top])
        if letters < 3 {
            if hintIndex >= 0 { return LanguageGuess(code: latinLanguages[hintIndex], confidence: 0.5) }
            return LanguageGuess(code: LanguageGuess.undetermined, confidence: probability)
        }
        if probability < minimumConfidence {
            return LanguageGuess(code: LanguageGuess.undetermined, confidence: probability)
        }
        return LanguageGuess(code: latinLanguages[top], confidence: probability)
    }

    /// "pt-BR", "PT_br", "pt" → "pt"; nil for anything that is not a two-letter code.
    static func normalizeHint(_ hint: String?) -> String? {
        guard let hint else { return nil }
        var code = ""
        for scalar in hint.unicodeScalars {
            if scalar == "-" || scalar == "_" { break }
            guard scalar.isASCII, scalar.properties.isAlphabetic else { return nil }
            code.unicodeScalars.append(Unicode.Scalar(UInt8(scalar.value) | 0x20))
        }
        return code.count == 2 ? code : nil
    }
}
