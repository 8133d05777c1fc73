import Foundation

public struct IntentTrainingOptions: Sendable {
    public var features = FeatureSettings()
    public var trainer = SoftmaxTrainer.Configuration(epochs: 10, learningRate: 0.3, l2: 1e-6, seed: 42)
    /// Example weight ∝ (examples of its class)^-power, normalised to mean 1 (0 = no balancing).
    public var classBalancePower: Float = 0.5
    /// Extra weight for rows whose origin starts with "authored" (small in-scope sets in
    /// languages the public data has only as `other`).
    public var authoredWeight: Float = 2
    public var name = "replyintent-intents"
    public var version = "1.0.0"
    /// Fit the temperature on dev (else T = 1).
    public var calibrate = true
    /// Choose the out-of-scope thresholds on dev (else none).
    public var tuneThresholds = true
    public var threads = 2

    public init() {}
}

public struct IntentTrainingResult: Sendable {
    public let model: IntentModel
    public let devReport: EvaluationReport?
    public let featureSeconds: Double
    public let trainSeconds: Double
    public let calibrationSeconds: Double
}

/// The intent training pipeline: features (in parallel) → class/author weights → softmax
/// regression → temperature on dev → out-of-scope thresholds on dev → dev report.
public enum IntentTrainer {
    public static func train(
        rows: [LabeledExample], dev: [LabeledExample]?, options: IntentTrainingOptions,
        log: (String) -> Void = { _ in }
    ) -> IntentTrainingResult {
        let clock = ContinuousClock()
        var labels = Array(Set(rows.map(\.label))).sorted()
        if !labels.contains(IntentModel.otherLabel) { labels.append(IntentModel.otherLabel) }
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let featureStart = clock.now
        var extractor = FeatureExtractor(settings: options.features)
        var vectors = parallelMap(rows.map(\.text), threads: options.threads) { [extractor] in extractor.features($0) }
        if options.features.idf {
            extractor = FeatureExtractor(settings: options.features, idf: FeatureExtractor.inverseDocumentFrequency(vectors, buckets: options.features.bucketCount))
            vectors = parallelMap(rows.map(\.text), threads: options.threads) { [extractor] in extractor.features($0) }
        }
        let featureSeconds = seconds(clock.now - featureStart)
        log("features: \(rows.count) rows, \(options.features.summary) (\(formatFixed(featureSeconds, digits: 2)) s)")

        var classCounts = [Int](repeating: 0, count: labels.count)
        for row in rows { classCounts[labelIndex[row.label]!] += 1 }
        var weights = rows.map { row -> Float in
            var weight = Float(pow(Double(classCounts[labelIndex[row.label]!]), Double(-options.classBalancePower)))
            if row.origin.hasPrefix("authored") { weight *= options.authoredWeight }
            return weight
        }
        let mean = weights.reduce(0, +) / Float(max(weights.count, 1))
        if mean > 0 { weights = weights.map { $0 / mean } }
        let examples = (0..<rows.count).map { TrainingExample(features: vectors[$0], label: labelIndex[rows[$0].label]!, weight: weights[$0]) }

        let trainStart = clock.now
        let trained = SoftmaxTrainer(configuration: options.trainer).train(
            examples: examples, classCount: labels.count, dimension: options.features.bucketCount
        ) { report in
            log("epoch \(report.epoch)/\(report.epochs)  loss \(formatFixed(report.loss, digits: 4))  train accuracy \(formatFixed(report.accuracy, digits: 4))  \(formatFixed(seconds(clock.now - trainStart), digits: 1)) s")
        }
        let trainSeconds = seconds(clock.now - trainStart)

        let languages = Array(Set(rows.map(\.language))).sorted()
        var metadata = IntentMetadata(
            name: options.name, version: options.version, createdAt: Int64(Date().timeIntervalSince1970),
            labels: labels, languages: languages, featureSettings: options.features,
            trainingFingerprint: JSONLDataset.fingerprint(rows), trainingRows: rows.count)
        var inScopeCounts: [String: Int] = [:]
        for row in rows where row.label != IntentModel.otherLabel { inScopeCounts[row.language, default: 0] += 1 }
        metadata.inScopeLanguages = inScopeCounts.filter { $0.value >= IntentMetadata.inScopeMinimum }.keys.sorted()
        var model = IntentModel(metadata: metadata, weights: trained, idf: extractor.idf)

        let calibrationStart = clock.now
        var report: EvaluationReport? = nil
        if let dev, !dev.isEmpty {
            let devLabels = dev.map { labelIndex[$0.label] ?? labelIndex[IntentModel.otherLabel]! }
            let uncalibrated = model
            let logits = parallelMap(dev.map(\.text), threads: options.threads) { text in
                uncalibrated.logits(text, scratch: IntentScratch())
            }
            if options.calibrate {
                metadata.temperature = TemperatureScaling.fit(logits: logits, labels: devLabels)
                log("temperature fitted on dev: T = \(formatFixed(Double(metadata.temperature), digits: 3))")
            }
            let probabilities = logits.map { row -> [Float] in
                var p = row
                softmaxInPlace(&p, temperature: metadata.temperature)
                return p
            }
            if options.tuneThresholds {
                let (tau, mu) = chooseThresholds(model: model, probabilities: probabilities, dev: dev)
                metadata.minConfidence = tau
                metadata.minMargin = mu
                log("out-of-scope thresholds chosen on dev: confidence < \(formatFixed(Double(tau), digits: 2)) or margin < \(formatFixed(Double(mu), digits: 2)) → other")
            }
            model = model.with(metadata: metadata)
            let devReport = evaluate(model: model, probabilities: probabilities, rows: dev)
            metadata.metrics = [
                "dev.accuracy": devReport.accuracy, "dev.macro_f1": devReport.macroF1,
                "dev.ece": devReport.expectedCalibrationError, "dev.count": Double(devReport.count),
            ]
            if let r = devReport.otherRecall { metadata.metrics["dev.other_recall"] = r }
            if let r = devReport.inScopeToOther { metadata.metrics["dev.in_scope_to_other"] = r }
            model = model.with(metadata: metadata)
            report = devReport
        }
        return IntentTrainingResult(
            model: model, devReport: report, featureSeconds: featureSeconds, trainSeconds: trainSeconds,
            calibrationSeconds: seconds(clock.now - calibrationStart))
    }

    /// Scores `rows` (in parallel) and builds the report.
    public static func evaluate(model: IntentModel, rows: [LabeledExample], threads: Int = 2) -> (EvaluationReport, [IntentPrediction]) {
        let predictions = parallelMap(rows.map(\.text), threads: threads) { model.predict($0, topK: 3) }
        let report = EvaluationReport(
            expected: rows.map(\.label), predicted: predictions.map(\.intent), languages: rows.map(\.language),
            confidences: predictions.map { Double($0.isOutOfScope && $0.top.first?.label != IntentModel.otherLabel ? 1 - $0.confidence : $0.confidence) },
            labelSet: model.labels)
        return (report, predictions)
    }

    static func evaluate(model: IntentModel, probabilities: [[Float]], rows: [LabeledExample]) -> EvaluationReport {
        let predictions = probabilities.map { model.decide($0, topK: 1, minConfidence: model.metadata.minConfidence, minMargin: model.metadata.minMargin) }
        return EvaluationReport(
            expected: rows.map(\.label), predicted: predictions.map(\.intent), languages: rows.map(\.language),
            confidences: predictions.map { Double($0.isOutOfScope && $0.top.first?.label != IntentModel.otherLabel ? 1 - $0.confidence : $0.confidence) },
            labelSet: model.labels)
    }

    /// Grid search on dev: the (confidence, margin) pair that maximises accuracy + macro-F1,
    /// preferring larger thresholds on ties (safer on messages unlike the training data).
    static func chooseThresholds(model: IntentModel, probabilities: [[Float]], dev: [LabeledExample]) -> (Float, Float) {
        var best: (score: Double, tau: Float, mu: Float) = (-1, 0, 0)
        let expected = dev.map(\.label)
        for tauStep in 0...12 {
            let tau = Float(tauStep) * 0.05
            for muStep in 0...10 {
                let mu = Float(muStep) * 0.02
                let predicted = probabilities.map { model.decide($0, topK: 1, minConfidence: tau, minMargin: mu).intent }
                let report = EvaluationReport(
                    expected: expected, predicted: predicted, languages: dev.map(\.language),
                    confidences: [Double](repeating: 0, count: dev.count), labelSet: model.labels)
                let score = report.accuracy + report.macroF1
                if score >= best.score - 1e-9 { best = (max(score, best.score), tau, mu) }
            }
        }
        return (best.tau, best.mu)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
