internal import ArgumentParser
internal import Classifier
internal import Foundation
internal import GZip

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the intent model from JSONL files and write a model file.",
        discussion: """
            Rows are JSON objects with "text", "label" and "lang". --authored DIR adds every *.jsonl in DIR \
            (the project's own examples) except a held-out 20 % chosen by a hash of the text, reported separately. \
            Settings and the temperature/out-of-scope thresholds are chosen on --dev only.
            """)

    @Option(help: "Training JSONL file(s), comma-separated.") var train: String
    @Option(help: "Directory of authored *.jsonl examples (20 % held out by text hash).") var authored: String?
    @Option(help: "Dev JSONL file: temperature, thresholds and the report.") var dev: String?
    @Option(help: "Where to write the model file.") var out: String
    @Option(help: "log2 of the hash bucket count.") var bucketBits: Int = 18
    @Option(help: "Character n-gram lengths (space-delimited scripts), e.g. 2-5.") var charNgrams: String = "2-5"
    @Option(help: "Character n-gram lengths for no-space scripts, e.g. 1-3.") var nospaceNgrams: String = "1-3"
    @Option(help: "Weight of word unigram/bigram features relative to character n-grams.") var wordWeight: Float = 1
    @Flag(help: "Drop word bigrams.") var noBigrams = false
    @Flag(help: "No inverse document frequency weighting.") var noIdf = false
    @Flag(help: "Raw term frequency instead of 1 + ln(tf).") var rawTf = false
    @Flag(help: "Character n-grams across word boundaries (within each word otherwise).") var charAcrossWords = false
    @Flag(help: "No out-of-scope thresholds (only the `other` class).") var noThresholds = false
    @Option(help: "Training epochs.") var epochs: Int = 20
    @Option(help: "AdaGrad learning rate.") var learningRate: Float = 0.3
    @Option(help: "L2 penalty.") var l2: Float = 1e-6
    @Option(help: "Class balancing power (weight ∝ count^-power).") var balance: Float = 0.5
    @Option(help: "Mean weight of authored examples relative to the public rows (1 = same).") var authoredWeight: Float = 0.3
    @Option(help: "Percentage of authored rows held out (reported only).") var heldOut: Int = 20
    @Option(help: "Largest confidence threshold considered (without --tune-percent).") var maxConfidenceThreshold: Float = 0.2
    @Option(help: "Largest margin threshold considered (without --tune-percent).") var maxMarginThreshold: Float = 0.02
    @Option(help: "Percentage of authored rows kept for choosing the out-of-scope thresholds (not trained on).") var tunePercent: Int = 0
    @Option(help: "Threads for feature extraction and evaluation.") var threads: Int = 2
    @Option(help: "Model name (metadata).") var name: String = "replyintent-intents"
    @Option(help: "Model version (metadata).") var modelVersion: String = "1.0.0"
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(help: "Average the weights of this many models trained with consecutive seeds.") var seedAverage: Int = 2
    @Option(help: "Average the weights of the epochs from this share of the run on (1 = last epoch only).") var averageFrom: Double = 1
    @Flag(help: "Print the final report as JSON on stdout.") var json = false
    @Option(help: "Project directory (Data/langid, Data/tone, Data/lexicons): also train language, tone and risk into the file.")
    var project: String?
    @Option(help: "Shared data directory (../shared/data) for the sentiment corpora and language samples.") var shared: String?

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        var rows = try TrainingData.loadFiles(train)
        var heldOutRows: [LabeledExample] = []
        var tuneRows: [LabeledExample] = []
        if let authored {
            let split = TrainingData.splitAuthored(try TrainingData.loadAuthored(directory: authored), heldOutPercent: heldOut, tunePercent: tunePercent)
            rows += split.train
            heldOutRows = split.heldOut
            tuneRows = split.tune
            note("authored: \(split.train.count) rows for training, \(split.tune.count) for tuning the thresholds, \(split.heldOut.count) held out")
        }
        let devRows = try dev.map { try JSONLDataset.load(path: $0) }
        note("training rows: \(rows.count)\(devRows.map { ", dev rows: \($0.count)" } ?? "")")

        var options = IntentTrainingOptions()
        options.features.bucketBits = bucketBits
        (options.features.charMinN, options.features.charMaxN) = try parseRange(charNgrams, "--char-ngrams")
        (options.features.noSpaceMinN, options.features.noSpaceMaxN) = try parseRange(nospaceNgrams, "--nospace-ngrams")
        options.features.wordWeight = wordWeight
        options.features.wordBigrams = !noBigrams
        options.features.idf = !noIdf
        options.features.sublinearTF = !rawTf
        options.features.charNGramsAcrossWords = charAcrossWords
        options.tuneThresholds = !noThresholds
        options.trainer = SoftmaxTrainer.Configuration(epochs: epochs, learningRate: learningRate, l2: l2, seed: seed, averageFrom: averageFrom)
        options.classBalancePower = balance
        options.authoredWeight = authoredWeight
        options.threads = threads
        options.seedAverage = max(1, seedAverage)
        options.maxConfidenceThreshold = maxConfidenceThreshold
        options.maxMarginThreshold = maxMarginThreshold
        options.name = name
        options.version = modelVersion
        guard (8...24).contains(bucketBits) else { throw ValidationError("--bucket-bits must be 8...24") }

        let result = IntentTrainer.train(rows: rows, dev: devRows, tune: tuneRows, options: options) { note($0) }
        var model = result.model
        var heldOutReport: EvaluationReport? = nil
        if !heldOutRows.isEmpty {
            heldOutReport = IntentTrainer.evaluate(model: model, rows: heldOutRows, threads: threads).0
            var metadata = model.metadata
            metadata.metrics["authored_heldout.accuracy"] = heldOutReport!.accuracy
            metadata.metrics["authored_heldout.count"] = Double(heldOutReport!.count)
            model = model.with(metadata: metadata)
        }
        var sections = model.sections()
        if let project {
            let signals = try MessageSignals.train(projectDirectory: project, sharedDataDirectory: shared, gunzip: gunzip) { note($0) }
            sections += signals.sections()
        }
        let bytes = ModelFile(sections: sections).encode()
        try ModelFileIO.write(bytes, to: out)
        let total = Double((clock.now - start).components.seconds) + Double((clock.now - start).components.attoseconds) * 1e-18

        if json {
            let summary = TrainSummary(
                model: out, bytes: bytes.count, rows: rows.count, seconds: total, trainSeconds: result.trainSeconds,
                fingerprint: model.metadata.fingerprintHex, temperature: model.metadata.temperature,
                minConfidence: model.metadata.minConfidence, minMargin: model.metadata.minMargin,
                dev: result.devReport, authoredHeldOut: heldOutReport,
                tuneAccuracy: model.metadata.metrics["tune.accuracy"], tuneMacroF1: model.metadata.metrics["tune.macro_f1"])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            return
        }
        print("model written: \(out) (\(bytes.count) bytes, \(model.labels.count) labels, \(model.metadata.languages.count) languages)")
        print("training data fingerprint: \(model.metadata.fingerprintHex) over \(rows.count) rows")
        print("time: \(formatFixed(total, digits: 1)) s total, \(formatFixed(result.featureSeconds, digits: 1)) s features, \(formatFixed(result.trainSeconds, digits: 1)) s optimisation")
        print("calibration: T = \(formatFixed(Double(model.metadata.temperature), digits: 3)); other when confidence < \(formatFixed(Double(model.metadata.minConfidence), digits: 2)) or margin < \(formatFixed(Double(model.metadata.minMargin), digits: 2))")
        if let report = result.devReport { print(report.render(title: "dev")) }
        if let heldOutReport { print(heldOutReport.render(title: "authored held-out")) }
    }
}

struct TrainSummary: Encodable {
    let model: String
    let bytes: Int
    let rows: Int
    let seconds: Double
    let trainSeconds: Double
    let fingerprint: String
    let temperature: Float
    let minConfidence: Float
    let minMargin: Float
    let dev: EvaluationReport?
    let authoredHeldOut: EvaluationReport?
    let tuneAccuracy: Double?
    let tuneMacroF1: Double?
}

/// Decompresses gzip data (training only: the wisesight corpus) with our zlib wrapper.
func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
    try GZip.decompress(bytes, limit: 256 << 20)
}

func parseRange(_ text: String, _ option: String) throws -> (Int, Int) {
    let parts = text.split(separator: "-").compactMap { Int($0) }
    guard parts.count == 2, parts[0] >= 1, parts[1] >= parts[0], parts[1] <= 12 else {
        throw ValidationError("\(option) takes MIN-MAX, e.g. 2-5")
    }
    return (parts[0], parts[1])
}
