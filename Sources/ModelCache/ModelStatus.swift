import Foundation

/// What the cache knows about one model file, for ListModels / ReloadModels.
public struct ModelStatus: Sendable, Equatable {
    public enum State: String, Sendable {
        /// In memory and serving.
        case loaded
        /// Dropped to stay within the memory budget; loaded again on its next use.
        case evicted
        /// Nothing from this file is in memory: it never loaded, or its replacement failed after
        /// the old version was evicted. Requests fall back to the shared model.
        case failed
    }

    public let key: ModelKey
    /// The serving (or, when evicted, last served) version; nil when the file never loaded.
    public let version: String?
    public let state: State
    public let path: String
    /// Size of the serving version's file; for a file that never loaded, the size seen on disk
    /// if it is a regular file, else 0 (a symbolic link's target is never looked at).
    public let sizeBytes: Int
    public let loadedAt: Date?
    public let loadDuration: Duration?
    /// When a request last got this model; nil if never.
    public let lastUsed: Date?
    /// Why the last attempt to load the file failed (the old version kept serving); nil when
    /// the last attempt succeeded.
    public let lastError: String?
    public let lastErrorAt: Date?
}
