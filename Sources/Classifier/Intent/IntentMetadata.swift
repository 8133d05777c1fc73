/// Everything a model file says about itself besides the weights: identity, provenance,
/// labels, feature settings, calibration and the dev metrics measured at training time.
public struct IntentMetadata: Sendable, Equatable {
    public var name: String
    public var version: String
    /// Seconds since 1970-01-01 UTC.
    public var createdAt: Int64
    public var labels: [String]
    /// Languages seen in training (ISO 639-1), sorted.
    public var languages: [String]
    /// Languages with at least `IntentMetadata.inScopeMinimum` in-scope (not `other`) rows:
    /// the languages the model has actually learnt intents in.
    public var inScopeLanguages: [String] = []
    public var featureSettings: FeatureSettings
    /// FNV-1a 64 over the training rows (`JSONLDataset.fingerprint`).
    public var trainingFingerprint: UInt64
    public var trainingRows: Int
    /// Softmax temperature fitted on dev (1 = uncalibrated).
    public var temperature: Float
    /// Out-of-scope thresholds: below this calibrated top-1 confidence the answer is `other`.
    public var minConfidence: Float
    /// Out-of-scope thresholds: below this top-1 − top-2 margin the answer is `other`.
    public var minMargin: Float
    /// Name → value, e.g. "dev.accuracy", "dev.macro_f1", "dev.ece".
    public var metrics: [String: Double]

    public init(
        name: String, version: String, createdAt: Int64, labels: [String], languages: [String],
        featureSettings: FeatureSettings, trainingFingerprint: UInt64, trainingRows: Int,
        temperature: Float = 1, minConfidence: Float = 0, minMargin: Float = 0, metrics: [String: Double] = [:]
    ) {
        self.name = name
        self.version = version
        self.createdAt = createdAt
        self.labels = labels
        self.languages = languages
        self.featureSettings = featureSettings
        self.trainingFingerprint = trainingFingerprint
        self.trainingRows = trainingRows
        self.temperature = temperature
        self.minConfidence = minConfidence
        self.minMargin = minMargin
        self.metrics = metrics
    }

    public func encode(into writer: inout ByteWriter) {
        writer.write(name)
        writer.write(version)
        writer.write(createdAt)
        writer.write(labels)
        writer.write(languages)
        writer.write(inScopeLanguages)
        featureSettings.encode(into: &writer)
        writer.write(trainingFingerprint)
        writer.write(trainingRows)
        writer.write(temperature)
        writer.write(minConfidence)
        writer.write(minMargin)
        let keys = metrics.keys.sorted()
        writer.write(UInt32(keys.count))
        for key in keys {
            writer.write(key)
            writer.write(metrics[key]!)
        }
    }

    public init(from reader: inout ByteReader) throws(ModelFileError) {
        name = try reader.readString()
        version = try reader.readString()
        createdAt = try reader.readInt64()
        labels = try reader.readStrings()
        languages = try reader.readStrings()
        inScopeLanguages = try reader.readStrings()
        featureSettings = try FeatureSettings(from: &reader)
        trainingFingerprint = try reader.readUInt64()
        trainingRows = try reader.readInt()
        temperature = try reader.readFloat()
        minConfidence = try reader.readFloat()
        minMargin = try reader.readFloat()
        let count = try reader.readUInt32()
        var metrics: [String: Double] = [:]
        for _ in 0..<count {
            let key = try reader.readString()
            metrics[key] = try reader.readDouble()
        }
        self.metrics = metrics
        guard labels.count >= 2, Set(labels).count == labels.count else {
            throw .malformed(reader.section, "label list must hold 2+ distinct labels, found \(labels)")
        }
        guard TemperatureScaling.loadableRange.contains(temperature), minConfidence.isFinite, minMargin.isFinite else {
            throw .malformed(reader.section, "impossible calibration (temperature \(temperature), thresholds \(minConfidence)/\(minMargin))")
        }
    }

    public static let inScopeMinimum = 50

    public var fingerprintHex: String {
        let digits = String(trainingFingerprint, radix: 16)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }
}
