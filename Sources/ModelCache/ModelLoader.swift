import Classifier
import Foundation
import Posix

/// What reading one model file gave: a validated snapshot, or why it cannot serve. Both carry
/// the file's status as seen *before* reading, so a file still being written is read again once
/// it changes.
enum LoadOutcome: Sendable {
    case loaded(ModelSnapshot, FileStatus)
    case failed(String, FileStatus?)
}

/// Reads and validates model files. No locks, no shared state: the cache calls it outside its
/// shard locks, so readers keep being served while a file loads.
enum ModelLoader {
    /// Reads the whole file, decodes it (magic, length and CRC-32 are checked before any section
    /// is parsed), then scores `probeText`: the probabilities must be finite and sum to ~1 and
    /// the decided intent must be one of the model's labels.
    static func load(key: ModelKey, path: String, probeText: String) -> LoadOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        guard let status = FileStatus.of(path: path) else {
            return .failed("cannot read model file \(path): no such file", nil)
        }
        guard status.type == .regular else {
            return .failed("cannot read model file \(path): not a regular file", status)
        }
        let bytes: [UInt8]
        let analyzer: MessageAnalyzer
        do {
            bytes = try ModelFileIO.read(path: path)
            analyzer = try MessageAnalyzer.load(bytes: bytes)
        } catch {
            return .failed(error.message, status)
        }
        if let problem = probeProblem(analyzer, probeText: probeText) {
            return .failed("model failed its probe message: \(problem)", status)
        }
        let version = analyzer.intents.metadata.version + "+" + crcHex(of: bytes)
        let snapshot = ModelSnapshot(
            key: key, analyzer: analyzer, version: version, path: path, sizeBytes: bytes.count, loadedAt: Date(),
            loadDuration: clock.now - started)
        return .loaded(snapshot, status)
    }

    /// nil when the model scores `probeText` sanely.
    static func probeProblem(_ analyzer: MessageAnalyzer, probeText: String) -> String? {
        let scratch = AnalysisScratch()
        let labels = analyzer.intents.labels
        let probabilities = analyzer.intents.probabilities(probeText, scratch: scratch.intent)
        guard probabilities.count == labels.count else {
            return "\(probabilities.count) probabilities for \(labels.count) labels"
        }
        guard probabilities.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return "probabilities are not finite" }
        let sum = probabilities.reduce(0, +)
        guard abs(sum - 1) < 1e-3 else { return "probabilities sum to \(sum), not 1" }
        let analysis = analyzer.analyze(text: probeText, scratch: scratch)
        guard analysis.intent.intent == IntentModel.otherLabel || labels.contains(analysis.intent.intent) else {
            return "unknown intent label \"\(analysis.intent.intent)\""
        }
        guard analysis.intent.confidence.isFinite, analysis.tone.isFinite else { return "confidence or tone is not finite" }
        return nil
    }

    /// The CRC-32 stored in the file's last 4 bytes (little-endian; `ModelFile.decode` verified
    /// it), as 8 lowercase hex digits.
    static func crcHex(of bytes: [UInt8]) -> String {
        var crc: UInt32 = 0
        for index in 0..<4 { crc |= UInt32(bytes[bytes.count - 4 + index]) << UInt32(8 * index) }
        let digits = String(crc, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
