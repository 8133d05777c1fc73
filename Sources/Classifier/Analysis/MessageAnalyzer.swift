/// Everything the service says about one message.
public struct Analysis: Sendable, Equatable {
    /// The decided intent (top class, or `other` when out of scope) with calibrated confidence,
    /// and the top-k classes.
    public let intent: IntentPrediction
    public let language: LanguageGuess
    /// True when the intent model has no in-scope training data for the identified language,
    /// which on its own sends the message to `other`.
    public let unfamiliarLanguage: Bool
    /// 0...1 anger/negativity.
    public let tone: Double
    public let negativeTone: Bool
    /// Threat and risk terms found, with their categories.
    public let risks: [RiskHit]

    public init(
        intent: IntentPrediction, language: LanguageGuess, unfamiliarLanguage: Bool, tone: Double, negativeTone: Bool,
        risks: [RiskHit]
    ) {
        self.intent = intent
        self.language = language
        self.unfamiliarLanguage = unfamiliarLanguage
        self.tone = tone
        self.negativeTone = negativeTone
        self.risks = risks
    }
}

/// Per-call (or per-thread) scratch for `MessageAnalyzer.analyze`.
public final class AnalysisScratch {
    public let intent = IntentScratch()
    public let fold = FoldScratch()

    public init() {}
}

/// The façade the service calls: the intent model plus language identification, tone and the
/// risk lexicon, all loaded from one model file. Immutable and `Sendable`: one instance is shared
/// by every thread; each call brings its own `AnalysisScratch`.
public final class MessageAnalyzer: Sendable {
    public let intents: IntentModel
    public let signals: MessageSignals
    /// Languages the intent model has in-scope training data for.
    public let inScopeLanguages: Set<String>
    /// Language guesses at least this confident count for the unfamiliar-language rule.
    public static let languageConfidenceForUnfamiliar = 0.8

    public init(intents: IntentModel, signals: MessageSignals) {
        self.intents = intents
        self.signals = signals
        self.inScopeLanguages = Set(intents.metadata.inScopeLanguages)
    }

    public static func load(bytes: [UInt8]) throws(ModelFileError) -> MessageAnalyzer {
        let file = try ModelFile.decode(bytes)
        return MessageAnalyzer(intents: try IntentModel(file: file), signals: try MessageSignals(modelFile: file))
    }

    public static func load(path: String) throws(ModelFileError) -> MessageAnalyzer {
        try load(bytes: ModelFileIO.read(path: path))
    }

    /// The whole model file: META, INTN, LANG, TONE, RISK.
    public func encode() -> [UInt8] {
        ModelFile(sections: intents.sections() + signals.sections()).encode()
    }

    /// Scores one message. No I/O; allocates only the returned values once `scratch` is warm.
    public func analyze(text: String, languageHint: String? = nil, scratch: AnalysisScratch, topK: Int = 3) -> Analysis {
        let (language, tone, risks) = signals.analyze(text, languageHint: languageHint, scratch: scratch.fold)
        var prediction = intents.predict(text, scratch: scratch.intent, topK: topK)
        let unfamiliar = language.code != LanguageGuess.undetermined
            && language.confidence >= Self.languageConfidenceForUnfamiliar
            && !inScopeLanguages.isEmpty && !inScopeLanguages.contains(language.code)
        if unfamiliar && !prediction.isOutOfScope {
            prediction = IntentPrediction(
                intent: IntentModel.otherLabel, confidence: prediction.confidence, margin: prediction.margin,
                isOutOfScope: true, top: prediction.top)
        }
        return Analysis(
            intent: prediction, language: language, unfamiliarLanguage: unfamiliar, tone: tone,
            negativeTone: tone >= signals.tone.threshold, risks: risks)
    }

    /// Allocating convenience.
    public func analyze(text: String, languageHint: String? = nil) -> Analysis {
        analyze(text: text, languageHint: languageHint, scratch: AnalysisScratch())
    }
}
