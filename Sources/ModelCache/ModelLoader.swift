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

/// Where a model file is read from, which decides whether a symbolic link may be followed.
enum ModelFileSource {
    /// `path` itself, as the operator gave it (the shared default): links are followed.
    case operatorPath
    /// The entry `name` of an open tenant models directory: it must be a regular file there,
    /// not a symbolic link (``Posix/Directory``).
    case entry(Directory, name: String)
}

/// Reads and validates model files. No locks, no shared state: the cache calls it outside its
/// shard locks, so readers keep being served while a file loads.
enum ModelLoader {
    /// Opens the file (`O_NONBLOCK`, and `O_NOFOLLOW` for a tenant's), checks on its descriptor
    /// that it is a regular file of at most `maxBytes` before reading a byte, reads it through
    /// that descriptor, decodes it (magic, length and CRC-32 are checked before any section is
    /// parsed), then scores `probeText`: the probabilities must be finite and sum to ~1 and the
    /// decided intent must be one of the model's labels. `path` names the file in messages.
    static func load(
        key: ModelKey, path: String, from source: ModelFileSource, maxBytes: Int, probeText: String
    ) -> LoadOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        let contents: FileContents
        do throws(FileAccessError) {
            switch source {
            case .operatorPath: contents = try FileSystem.readRegularFile(path: path, maxBytes: maxBytes)
            case .entry(let directory, let name): contents = try directory.readRegularFile(name, maxBytes: maxBytes)
            }
        } catch {
            return .failed(refusal(error, path: path), error.status)
        }
        let bytes = contents.bytes
        let status = contents.status
        let analyzer: MessageAnalyzer
        do {
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

    /// Why the file was not read, for a person: what it is and what it should be.
    static func refusal(_ error: FileAccessError, path: String) -> String {
        switch error.reason {
        case .notFound:
            return "cannot read model file \(path): no such file"
        case .symbolicLink:
            return "model file \(path) is a symbolic link; model files must be regular files inside the tenant's"
                + " models directory (not read)"
        case .wrongType(let type):
            return "model file \(path) is \(type), not a regular file (not read)"
        case .tooLarge(let limit):
            let size = error.status?.size ?? 0
            return "model file \(path) is \(mebibytes(size)) (\(size) bytes), larger than the limit of \(mebibytes(limit))"
                + " (models.max_file_size_mb); not read"
        case .failed(let failure):
            return "cannot read model file \(path): \(failure.message)"
        }
    }

    /// "256 MiB", "300.5 MiB", "0.1 MiB".
    static func mebibytes(_ bytes: Int) -> String {
        let mebibyte = 1 << 20
        if bytes % mebibyte == 0 { return "\(bytes / mebibyte) MiB" }
        // No `bytes * 10`: a sparse file's size can be near Int.max.
        var whole = bytes / mebibyte
        var tenth = (bytes % mebibyte * 10 + mebibyte / 2) / mebibyte
        if tenth == 10 { (whole, tenth) = (whole + 1, 0) }
        return "\(whole).\(tenth) MiB"
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
