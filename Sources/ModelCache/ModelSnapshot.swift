import Classifier
import Foundation

/// One loaded, validated model file: immutable, shared by every thread that serves with it.
/// A reload makes a new snapshot; callers holding the old one finish with it undisturbed.
public final class ModelSnapshot: Sendable {
    public let key: ModelKey
    public let analyzer: MessageAnalyzer
    /// The model's META version + "+" + the file's CRC-32 as 8 lowercase hex digits
    /// (the checksum stored in its last 4 bytes, verified on load), e.g. "2026.11.20+9f3a02c1".
    public let version: String
    /// The file it was loaded from.
    public let path: String
    /// The file size, which is what the memory budget counts.
    public let sizeBytes: Int
    public let loadedAt: Date
    /// Reading, decoding, checking and probing the file.
    public let loadDuration: Duration

    public init(
        key: ModelKey, analyzer: MessageAnalyzer, version: String, path: String, sizeBytes: Int, loadedAt: Date,
        loadDuration: Duration
    ) {
        self.key = key
        self.analyzer = analyzer
        self.version = version
        self.path = path
        self.sizeBytes = sizeBytes
        self.loadedAt = loadedAt
        self.loadDuration = loadDuration
    }
}
