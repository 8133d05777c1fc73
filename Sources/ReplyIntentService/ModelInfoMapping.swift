internal import Foundation
internal import Messages
internal import ModelCache

/// `ModelStatus` (the cache's view) to `ModelInfo` (the API's).
enum ModelInfoMapping {
    static func info(_ status: ModelStatus) -> ModelInfo {
        var info = ModelInfo()
        info.tenant = status.key.tenant
        info.name = status.key.name
        info.version = status.version ?? ""
        info.state = state(status.state)
        info.path = status.path
        info.sizeBytes = UInt64(max(0, status.sizeBytes))
        info.loadedAtUnixMs = status.loadedAt.map(UnixTime.milliseconds) ?? 0
        info.loadDurationMs = status.loadDuration.map(milliseconds) ?? 0
        info.lastUsedUnixMs = status.lastUsed.map(UnixTime.milliseconds) ?? 0
        info.lastError = status.lastError ?? ""
        info.lastErrorAtUnixMs = status.lastErrorAt.map(UnixTime.milliseconds) ?? 0
        return info
    }

    static func state(_ state: ModelStatus.State) -> ModelInfo.State {
        switch state {
        case .loaded: .loaded
        case .evicted: .evicted
        case .failed: .failed
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// Statuses sorted by tenant then name (the shared models first), optionally one tenant's.
    static func infos(_ statuses: [ModelStatus], tenant: String?) -> [ModelInfo] {
        statuses
            .filter { tenant == nil || $0.key.tenant == tenant }
            .sorted { ($0.key.tenant, $0.key.name) < ($1.key.tenant, $1.key.name) }
            .map(info)
    }
}
