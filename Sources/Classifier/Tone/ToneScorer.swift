/// Anger/negativity score of a buyer message, in [0, 1].
///
/// A binary logistic model (negative/angry vs. not) over hashed character 1–4-grams, words and
/// word bigrams of the folded text (`NgramFeatures`), plus cues: anger words from a multilingual
/// lexicon (`Data/lexicons/anger.tsv`, one shared feature, so what the model learns from the
/// large Thai/Indonesian corpora carries over to languages with few examples), and surface cues
/// that folding erases: shouting in capitals, `!!`/`!!!` and runs of `?`. The cues are model features, and shouting
/// also adds a small fixed bonus to the logit (`cueBonus`), because the public training data
/// (Thai, Indonesian) has too little of it to learn its weight everywhere.
/// The probability is calibrated with a temperature fitted on held-out messages.
///
/// Immutable and `Sendable`; scoring is pure computation over a per-call `FoldScratch`.
public final class ToneScorer: Sendable {
    let weights: LinearWeights
    let features: NgramFeatures
    public let temperature: Float
    /// Logit added for all-caps shouting (≥ 70 % capitals over ≥ 8 letters) and for `!!!`/`???`.
    public let cueBonus: Float
    /// Scores at or above this count as angry/negative (`isNegative`).
    public let threshold: Double
    /// The anger words behind the lexical cue.
    public let angerTerms: [ToneTerm]
    let anger: TermMatcher
    /// The cue features' buckets, hashed once here instead of per message.
    let cueBuckets: CueBuckets

    init(weights: LinearWeights, features: NgramFeatures, temperature: Float, cueBonus: Float, threshold: Double,
         angerTerms: [ToneTerm]) {
        precondition(weights.classCount == 2 && weights.dimension == features.dimension)
        self.weights = weights
        self.features = features
        self.temperature = temperature
        self.cueBonus = cueBonus
        self.threshold = threshold
        self.angerTerms = angerTerms
        self.anger = TermMatcher(terms: angerTerms.map(\.matcherTerm))
        self.cueBuckets = CueBuckets(features)
    }

    /// The anger/negativity score of `text`, in [0, 1].
    public func score(_ text: String) -> Double {
        score(text, scratch: FoldScratch())
    }

    public func score(_ text: String, scratch: FoldScratch) -> Double {
        ScalarFold.fold(text, into: scratch)
        return scoreFolded(scratch)
    }

    /// Whether `text` reads as angry/negative (`score >= threshold`).
    public func isNegative(_ text: String) -> Bool { score(text) >= threshold }

    /// The score of text already folded into `scratch`.
    public func scoreFolded(_ scratch: FoldScratch) -> Double {
        Self.vectorize(scratch, features: features, anger: anger, cues: cueBuckets)
        weights.logits(scratch.vector, into: &scratch.toneScores)
        var margin = (scratch.toneScores[1] - scratch.toneScores[0]) / temperature
        let cues = scratch.cues
        if cues.letters >= 8 && cues.capsRatio >= 0.7 { margin += cueBonus }
        if cues.longestPunctuationRun >= 3 { margin += cueBonus * 0.5 }
        return Double(1 / (1 + (-margin).exponential))
    }

    /// Features of a folded message: n-grams plus the cue features.
    static func vectorize(
        _ scratch: FoldScratch, features: NgramFeatures, anger: TermMatcher, cues buckets: CueBuckets? = nil
    ) {
        let buckets = buckets ?? CueBuckets(features)
        features.extract(scratch)
        var angerWords = 0
        anger.forEachMatch(in: scratch) { _, _, _ in angerWords += 1 }
        if angerWords > 0 {
            scratch.vector.append(buckets.anger, 1)
            if angerWords > 1 { scratch.vector.append(buckets.anger2, 1) }
        }
        let cues = scratch.cues
        if cues.letters >= 6 && cues.capsRatio >= 0.6 {
            scratch.vector.append(buckets.caps, Float(cues.capsRatio))
        }
        if cues.exclamations >= 2 {
            scratch.vector.append(buckets.exclamations, cues.exclamations >= 3 ? 1 : 0.6)
        }
        if cues.questions >= 2 && cues.longestPunctuationRun >= 2 {
            scratch.vector.append(buckets.questions, cues.longestPunctuationRun >= 3 ? 1 : 0.6)
        }
    }

    /// `NgramFeatures.bucket(named:)` of each cue feature.
    struct CueBuckets: Sendable {
        let anger, anger2, caps, exclamations, questions: UInt32

        init(_ features: NgramFeatures) {
            anger = features.bucket(named: "cue:anger")
            anger2 = features.bucket(named: "cue:anger2")
            caps = features.bucket(named: "cue:caps")
            exclamations = features.bucket(named: "cue:exclamations")
            questions = features.bucket(named: "cue:questions")
        }
    }
}
