import Classifier
import Foundation

/// The model files the hot-reload tests swap in and out, made once per test run from the real
/// default model (`models/default.rimodel`):
/// - three valid copies that differ only in their META version, so each has its own version
///   string and checksum;
/// - a corrupted copy: one byte in the middle flipped, so the CRC-32 no longer holds;
/// - a truncated copy: the first half of a valid file.
/// The shared default is the real file itself, with its own version.
struct ReloadModelFiles: Sendable {
    struct Valid: Sendable {
        let bytes: [UInt8]
        /// What the cache names it: META version + "+" + the CRC-32 in its last 4 bytes.
        let version: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let sharedModelPath = repositoryRoot + "/models/default.rimodel"
    static let templatesDirectory = repositoryRoot + "/Templates"

    let shared: Valid
    let valid: [Valid]
    let corrupt: [UInt8]
    let truncated: [UInt8]

    /// Every version a response may name: the three copies and the shared default.
    var validVersions: Set<String> { Set(valid.map(\.version) + [shared.version]) }

    private static let made = Result { try ReloadModelFiles() }

    /// The files, made on first use (decoding and re-encoding the model takes a moment).
    static func get() throws -> ReloadModelFiles { try made.get() }

    private init() throws {
        let sharedBytes = try ModelFileIO.read(path: Self.sharedModelPath)
        let base = try MessageAnalyzer.load(bytes: sharedBytes)
        shared = Valid(bytes: sharedBytes, version: Self.version(meta: base.intents.metadata.version, of: sharedBytes))
        func copy(version name: String) -> Valid {
            var metadata = base.intents.metadata
            metadata.version = name
            let bytes = MessageAnalyzer(intents: base.intents.with(metadata: metadata), signals: base.signals).encode()
            return Valid(bytes: bytes, version: Self.version(meta: name, of: bytes))
        }
        valid = ["reload-1", "reload-2", "reload-3"].map(copy(version:))
        // The bad files come from copies with versions of their own: were one ever served, the
        // responses would name a version outside `validVersions`.
        var corrupt = copy(version: "reload-corrupt").bytes
        corrupt[corrupt.count / 2] ^= 0x5A
        self.corrupt = corrupt
        let whole = copy(version: "reload-truncated").bytes
        truncated = Array(whole.prefix(whole.count / 2))
    }

    /// "meta+crc32hex" as the cache and the API name a model file.
    static func version(meta: String, of bytes: [UInt8]) -> String {
        let crc = bytes.suffix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let digits = String(crc, radix: 16)
        return meta + "+" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// SplitMix64: a small seeded generator, so a failing operation order can be replayed.
struct ReloadRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
