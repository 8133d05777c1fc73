import Foundation

/// A trained intent classifier: immutable, `Sendable`, shared by every thread. Each call brings
/// its own `IntentScratch`, so any number of threads can score with one model at once.
public final class IntentModel: Sendable {
    public static let metadataTag = "META"
    public static let weightsTag = "INTN"
    public static let otherLabel = "other"

    public let metadata: IntentMetadata
    public let weights: LinearWeights
    public let extractor: FeatureExtractor
    let otherIndex: Int?

    public init(metadata: IntentMetadata, weights: LinearWeights, idf: [Float] = []) {
        precondition(weights.classCount == metadata.labels.count, "one weight column per label")
        precondition(weights.dimension == metadata.featureSettings.bucketCount, "one weight row per bucket")
        precondition(metadata.featureSettings.idf == !idf.isEmpty, "IDF weights iff the settings use IDF")
        self.metadata = metadata
        self.weights = weights
        self.extractor = FeatureExtractor(settings: metadata.featureSettings, idf: idf)
        self.otherIndex = metadata.labels.firstIndex(of: Self.otherLabel)
    }

    public var labels: [String] { metadata.labels }

    /// A copy with other calibration / thresholds / metrics (the weights are shared, not copied).
    public func with(metadata newMetadata: IntentMetadata) -> IntentModel {
        IntentModel(metadata: newMetadata, weights: weights, idf: extractor.idf)
    }

    // MARK: Scoring

    /// Calibrated class probabilities for `text`, left in `scratch.probabilities` (label order).
    @discardableResult
    public func probabilities(_ text: String, scratch: IntentScratch) -> [Float] {
        extractor.extract(text, into: scratch.features)
        var p: [Float] = []
        swap(&p, &scratch.probabilities)   // work on a local array, hand it back after
        weights.logits(scratch.features.vector, into: &p)
        softmaxInPlace(&p, temperature: metadata.temperature)
        swap(&p, &scratch.probabilities)
        return scratch.probabilities
    }

    /// Raw logits (before temperature), for calibration.
    public func logits(_ text: String, scratch: IntentScratch) -> [Float] {
        extractor.extract(text, into: scratch.features)
        weights.logits(scratch.features.vector, into: &scratch.probabilities)
        return scratch.probabilities
    }

    public func predict(_ text: String, scratch: IntentScratch, topK: Int = 3) -> IntentPrediction {
        probabilities(text, scratch: scratch)
        return decide(scratch.probabilities, topK: topK, minConfidence: metadata.minConfidence, minMargin: metadata.minMargin)
    }

    /// Allocating convenience: a fresh scratch per call.
    public func predict(_ text: String, topK: Int = 3) -> IntentPrediction {
        predict(text, scratch: IntentScratch(), topK: topK)
    }

    /// The out-of-scope decision over calibrated probabilities.
    public func decide(_ p: [Float], topK: Int, minConfidence: Float, minMargin: Float) -> IntentPrediction {
        var first = 0, second = -1
        for c in 1..<p.count {
            if p[c] > p[first] { second = first; first = c } else if second < 0 || p[c] > p[second] { second = c }
        }
        let confidence = p[first]
        let margin = confidence - (second >= 0 ? p[second] : 0)
        let k = max(1, min(topK, p.count))
        var top: [ScoredIntent] = []
        top.reserveCapacity(k)
        top.append(ScoredIntent(label: labels[first], confidence: confidence))
        if k > 1 {
            // Selection by (probability, then index) strictly below the previous pick: no extra storage.
            var previous = first
            for _ in 1..<k {
                var best = -1
                for c in 0..<p.count {
                    let belowPrevious = p[c] < p[previous] || (p[c] == p[previous] && c > previous)
                    guard belowPrevious else { continue }
                    if best < 0 || p[c] > p[best] { best = c }
                }
                if best < 0 { break }
                top.append(ScoredIntent(label: labels[best], confidence: p[best]))
                previous = best
            }
        }
        let outOfScope = first == otherIndex || confidence < minConfidence || margin < minMargin
        return IntentPrediction(
            intent: outOfScope ? Self.otherLabel : labels[first], confidence: confidence, margin: margin,
            isOutOfScope: outOfScope, top: top)
    }

    // MARK: Model file

    public func sections() -> [ModelFile.Section] {
        [
            ModelFile.Section(tag: Self.metadataTag) { metadata.encode(into: &$0) },
            ModelFile.Section(tag: Self.weightsTag) { writer in
                weights.encode(into: &writer)
                writer.write(extractor.idf)
            },
        ]
    }

    /// The intent model alone as a model file (`AnalyzerModel` adds the language/tone/risk sections).
    public func encode() -> [UInt8] { ModelFile(sections: sections()).encode() }

    public convenience init(file: ModelFile) throws(ModelFileError) {
        var metaReader = try file.requireSection(Self.metadataTag).reader()
        let metadata = try IntentMetadata(from: &metaReader)
        try metaReader.expectEnd()
        var weightReader = try file.requireSection(Self.weightsTag).reader()
        let weights = try LinearWeights(from: &weightReader)
        let idf = try weightReader.readFloats()
        try weightReader.expectEnd()
        guard idf.count == (metadata.featureSettings.idf ? metadata.featureSettings.bucketCount : 0), idf.allSatisfy(LinearWeights.isPlausibleParameter) else {
            throw .malformed(Self.weightsTag, "\(idf.count) IDF weights do not match the feature settings (\(metadata.featureSettings.summary))")
        }
        guard weights.classCount == metadata.labels.count, weights.dimension == metadata.featureSettings.bucketCount else {
            throw .malformed(Self.weightsTag, "weights are \(weights.dimension) x \(weights.classCount) but metadata says \(metadata.featureSettings.bucketCount) buckets x \(metadata.labels.count) labels")
        }
        self.init(metadata: metadata, weights: weights, idf: idf)
    }

    public static func load(bytes: [UInt8]) throws(ModelFileError) -> IntentModel {
        try IntentModel(file: ModelFile.decode(bytes))
    }

    public static func load(path: String) throws(ModelFileError) -> IntentModel {
        try load(bytes: ModelFileIO.read(path: path))
    }
}

/// Reading and writing model files (the only file I/O of the model; scoring never does I/O).
public enum ModelFileIO {
    public static func read(path: String) throws(ModelFileError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                throw ModelFileError(.io, isDirectory.boolValue ? "cannot read model file \(path): it is a directory" : "cannot read model file \(path): permission denied")
            }
            throw ModelFileError(.io, "cannot read model file \(path): no such file")
        }
        return [UInt8](data)
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(ModelFileError) {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw ModelFileError(.io, "cannot write model file \(path): \(error.localizedDescription)")
        }
    }

    /// The model `--model` defaults to: `$REPLYINTENT_MODEL`, else `models/default.rimodel` in
    /// the current directory, else `../../models/default.rimodel` next to the executable
    /// (`.build/release/intentctl` → `<repo>/models/`), else `../share/replyintent/default.rimodel`.
    public static func defaultModelPath() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["REPLYINTENT_MODEL"], !path.isEmpty { return path }
        let fm = FileManager.default
        let local = fm.currentDirectoryPath + "/models/default.rimodel"
        if fm.fileExists(atPath: local) { return local }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let binDir = executable.deletingLastPathComponent()
        for relative in ["../../models/default.rimodel", "../../../models/default.rimodel", "../share/replyintent/default.rimodel"] {
            let candidate = binDir.appendingPathComponent(relative).standardizedFileURL.path
            if fm.fileExists(atPath: candidate) { return candidate }
        }
        return local
    }
}
