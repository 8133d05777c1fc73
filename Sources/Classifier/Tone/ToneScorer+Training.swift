/// Settings for `ToneScorer.train`.
public struct ToneTrainingConfiguration: Sendable, Equatable {
    public var bucketBits = 17
    /// Percent of each source held out (by a hash of the text) to report accuracy and fit the
    /// temperature.
    public var heldOutPercent = 10
    /// After evaluating, train again on every sample (the held-out ones included).
    public var refitOnAll = true
    /// Weight of a sample per source (the authored examples are few but cover 13 languages).
    public var sourceWeights: [String: Float] = ["authored": 8, "authored_intents": 1]
    /// Extra weight of negative samples from these sources (on top of class balancing).
    public var negativeBoost: [String: Float] = [:]
    /// Re-weight each source's classes so its negatives and non-negatives weigh the same (the
    /// public data and the intent rows are mostly calm; unbalanced, the model under-reports anger).
    public var balanceClasses = true
    public var cueBonus: Float = 0.8
    public var threshold = 0.5
    public var trainer = SoftmaxTrainer.Configuration(epochs: 6, learningRate: 0.3, l2: 1e-6, seed: 11)

    public init() {}
}

/// Held-out results of `ToneScorer.train`.
public struct ToneTrainingReport: Sendable {
    public struct SourceResult: Sendable {
        public var trained = 0
        public var heldOut = 0
        public var correct = 0
        public var accuracy: Double { heldOut == 0 ? 0 : Double(correct) / Double(heldOut) }
        /// Accuracy of always answering the held-out slice's majority class.
        public var majorityBaseline = 0.0
    }
    public var sources: [String: SourceResult] = [:]
    public var temperature: Float = 1
}

extension ToneScorer {
    /// Trains the negative/angry vs. not model. Every source keeps `heldOutPercent` % of its
    /// messages aside; accuracy per source is measured on them (reported through `report`),
    /// the temperature is fitted on them, then (by default) the model is refitted on everything.
    public static func train(
        samples: [ToneSample], angerTerms: [ToneTerm] = [], configuration: ToneTrainingConfiguration = ToneTrainingConfiguration(),
        report: (ToneTrainingReport) -> Void = { _ in }
    ) throws(DatasetError) -> ToneScorer {
        let features = NgramFeatures(bucketBits: configuration.bucketBits, maxOrder: 4, wordBigrams: true,
                                     seed: 0x544F_4E45)
        let scratch = FoldScratch()
        let anger = TermMatcher(terms: angerTerms.map(\.matcherTerm))
        var fit: [TrainingExample] = []
        var held: [(example: TrainingExample, source: String)] = []
        var summary = ToneTrainingReport()
        var negativeCount: [String: Int] = [:]
        var sourceCount: [String: Int] = [:]
        for sample in samples {
            sourceCount[sample.source, default: 0] += 1
            if sample.negative { negativeCount[sample.source, default: 0] += 1 }
        }
        func balance(_ sample: ToneSample) -> Float {
            guard configuration.balanceClasses, let total = sourceCount[sample.source] else { return 1 }
            let negatives = negativeCount[sample.source] ?? 0
            let count = sample.negative ? negatives : total - negatives
            guard count > 0, count < total else { return 1 }
            return Float(total) / Float(2 * count)
        }
        for sample in samples {
            ScalarFold.fold(sample.text, into: scratch)
            vectorize(scratch, features: features, anger: anger)
            guard !scratch.vector.indices.isEmpty else { continue }
            let weight = (configuration.sourceWeights[sample.source] ?? 1)
                * (sample.negative ? configuration.negativeBoost[sample.source] ?? 1 : 1) * balance(sample)
            let example = TrainingExample(features: scratch.vector, label: sample.negative ? 1 : 0, weight: weight)
            if JSONLDataset.isHeldOut(sample.text, percent: configuration.heldOutPercent) {
                held.append((example, sample.source))
            } else {
                fit.append(example)
                summary.sources[sample.source, default: .init()].trained += 1
            }
        }
        guard fit.contains(where: { $0.label == 1 }), fit.contains(where: { $0.label == 0 }) else {
            throw DatasetError("tone training needs both negative and non-negative messages (got \(samples.count) samples)")
        }
        let trainer = SoftmaxTrainer(configuration: configuration.trainer)
        let first = trainer.train(examples: fit, classCount: 2, dimension: features.dimension)

        var logits: [[Float]] = []
        var labels: [Int] = []
        var scores: [Float] = []
        var negatives: [String: Int] = [:]
        for (example, source) in held {
            first.logits(example.features, into: &scores)
            logits.append(scores)
            labels.append(example.label)
            let predicted = scores[1] > scores[0] ? 1 : 0
            summary.sources[source, default: .init()].heldOut += 1
            if predicted == example.label { summary.sources[source]!.correct += 1 }
            if example.label == 1 { negatives[source, default: 0] += 1 }
        }
        for (source, result) in summary.sources where result.heldOut > 0 {
            let share = Double(negatives[source] ?? 0) / Double(result.heldOut)
            summary.sources[source]!.majorityBaseline = max(share, 1 - share)
        }
        let temperature = logits.isEmpty ? 1 : TemperatureScaling.fit(logits: logits, labels: labels)
        summary.temperature = temperature
        report(summary)

        let weights = configuration.refitOnAll
            ? trainer.train(examples: fit + held.map(\.example), classCount: 2, dimension: features.dimension)
            : first
        return ToneScorer(weights: weights, features: features, temperature: temperature,
                          cueBonus: configuration.cueBonus, threshold: configuration.threshold, angerTerms: angerTerms)
    }
}
