/// Settings for `LanguageIdentifier.train`.
public struct LanguageTrainingConfiguration: Sendable, Equatable {
    /// log2 of the hash buckets of the Latin model.
    public var bucketBits = 15
    /// At most this many sentences per language (the first ones in input order), so English
    /// does not drown the rest.
    public var maxPerLanguage = 1500
    /// A Latin-script language outside `supportedLanguages` (or a script language romanised, like
    /// Arabizi) becomes a class of its own when the data has at least this many Latin-script
    /// sentences of it (so Danish is not forced into Dutch/German).
    public var minimumExtraLanguageSamples = 80
    /// Every `calibrationStride`-th sentence is held out to fit the softmax temperature.
    public var calibrationStride = 6
    public var minimumConfidence = 0.5
    public var trainer = SoftmaxTrainer.Configuration(epochs: 10, learningRate: 0.5, l2: 1e-6, seed: 7)

    public init() {}
}

/// What `LanguageIdentifier.train` did, for `intentctl train` to print.
public struct LanguageTrainingReport: Sendable {
    public var sentencesPerLanguage: [String: Int] = [:]
    public var temperature: Float = 1
    /// Accuracy of the first model (without the calibration sentences) on those sentences.
    public var calibrationAccuracy = 0.0
    public var calibrationSentences = 0
}

extension LanguageIdentifier {
    /// Trains the Latin-script model on the samples whose text is mostly Latin script (others are
    /// decided by script rules and are ignored), after capping and re-weighting languages and
    /// adding a 1–3 word fragment of each sentence so short messages are learnt too.
    public static func train(
        samples: [LanguageSample], configuration: LanguageTrainingConfiguration = LanguageTrainingConfiguration(),
        report: (LanguageTrainingReport) -> Void = { _ in }
    ) throws(DatasetError) -> LanguageIdentifier {
        let scratch = FoldScratch()
        // 1. Keep Latin-script sentences, grouped by language.
        var byLanguage: [String: [String]] = [:]
        for sample in samples {
            guard let code = normalizeHint(sample.language) else { continue }
            ScalarFold.fold(sample.text, into: scratch)
            let profile = ScriptProfile(scratch.scalars)
            guard profile.latin >= 3, profile.latin * 10 >= profile.weightedLetters * 7 else { continue }
            byLanguage[code, default: []].append(sample.text)
        }
        let supported = Set(supportedLanguages)
        // A supported Latin-script language is always a class; anything else (another language, or
        // a script language written in Latin letters, like Arabizi "3ayez a3raf el order") only
        // with enough sentences.
        var languages = byLanguage.keys.filter { code in
            (supported.contains(code) && !scriptLanguages.contains(code))
                || byLanguage[code]!.count >= configuration.minimumExtraLanguageSamples
        }
        languages.sort()
        guard languages.count >= 2 else {
            throw DatasetError("language training needs Latin-script sentences in at least two languages, found \(languages)")
        }

        // 2. Cap per language, keeping the input order: callers put the sentences that matter
        //    most (the project's own) first.
        var rng = SplitMix64(seed: configuration.trainer.seed)
        var sentences: [[String]] = []
        for code in languages {
            sentences.append(Array(byLanguage[code]!.prefix(configuration.maxPerLanguage)))
        }
        let mean = Double(sentences.reduce(0) { $0 + $1.count }) / Double(sentences.count)

        // 3. Examples: each sentence and one fragment of it.
        let features = NgramFeatures(bucketBits: configuration.bucketBits, maxOrder: 4, wordBigrams: false,
                                     seed: 0x4C41_4E47)
        var fit: [TrainingExample] = []
        var calibration: [TrainingExample] = []
        for (label, texts) in sentences.enumerated() {
            // Soft balancing: rare languages count more, but English (most of the data and of real
            // traffic) is not pushed below its neighbours.
            let weight = Float(min(2, max(0.5, (mean / Double(texts.count)).squareRoot())))
            for (index, text) in texts.enumerated() {
                let held = index % configuration.calibrationStride == configuration.calibrationStride - 1
                ScalarFold.fold(text, into: scratch)
                features.extract(scratch)
                let example = TrainingExample(features: scratch.vector, label: label, weight: weight)
                if held { calibration.append(example) } else { fit.append(example) }
                if let fragment = fragment(of: text, rng: &rng) {
                    ScalarFold.fold(fragment, into: scratch)
                    features.extract(scratch)
                    let short = TrainingExample(features: scratch.vector, label: label, weight: weight * 0.5)
                    if held { calibration.append(short) } else { fit.append(short) }
                }
            }
        }

        // 4. Fit without the calibration sentences, choose the temperature on them, refit on all.
        let trainer = SoftmaxTrainer(configuration: configuration.trainer)
        let first = trainer.train(examples: fit, classCount: languages.count, dimension: features.dimension)
        var logits: [[Float]] = []
        var labels: [Int] = []
        var correct = 0
        var scores: [Float] = []
        for example in calibration {
            first.logits(example.features, into: &scores)
            logits.append(scores)
            labels.append(example.label)
            var top = 0
            for c in 1..<scores.count where scores[c] > scores[top] { top = c }
            if top == example.label { correct += 1 }
        }
        let temperature = TemperatureScaling.fit(logits: logits, labels: labels)
        let weights = trainer.train(examples: fit + calibration, classCount: languages.count, dimension: features.dimension)

        do {
            var summary = LanguageTrainingReport()
            for (index, code) in languages.enumerated() { summary.sentencesPerLanguage[code] = sentences[index].count }
            summary.temperature = temperature
            summary.calibrationSentences = calibration.count
            summary.calibrationAccuracy = calibration.isEmpty ? 0 : Double(correct) / Double(calibration.count)
            report(summary)
        }
        return LanguageIdentifier(latinLanguages: languages, weights: weights, features: features,
                                  temperature: temperature, minimumConfidence: configuration.minimumConfidence)
    }

    /// A run of 1–3 words from a sentence of 4+ words (nil for shorter sentences).
    static func fragment(of text: String, rng: inout SplitMix64) -> String? {
        let words = text.split(separator: " ")
        guard words.count >= 4 else { return nil }
        let length = 1 + Int(rng.next() % 3)
        let start = Int(rng.next() % UInt64(words.count - length + 1))
        let piece = words[start..<start + length].joined(separator: " ")
        var letters = 0
        for scalar in piece.unicodeScalars where scalar.properties.isAlphabetic { letters += 1 }
        return letters >= 3 ? piece : nil
    }
}
