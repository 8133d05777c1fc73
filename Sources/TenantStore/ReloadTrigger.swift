/// What asked for a reload. Every trigger runs the same procedure (``ReloadCoordinator``).
public enum ReloadTrigger: String, Sendable, CaseIterable {
    /// The coordinator's first reload: every tenant directory, before the server serves.
    case startup
    /// inotify saw files change (debounced); reloads the tenants whose directories changed.
    case fileEvents = "file events"
    /// The periodic full scan (`models.scan_interval_seconds`), in case an event was missed.
    case periodic
    /// The admin ReloadModels RPC.
    case adminRequest = "ReloadModels"
    /// SIGHUP (`ReplyIntentApplication.reload()`); the tokens file is read even when unchanged.
    case signal = "SIGHUP"
    /// A durable store said tenant state changed: call ``ReloadCoordinator/trigger(_:)`` with it.
    case storeNotification = "store notification"
}

/// Which parts a reload looks at: everything, or what file events named.
struct ReloadScope {
    var everything: Bool
    var tenants: Set<String> = []
    var shared = false
    var tokens = false

    static let all = ReloadScope(everything: true)

    var isEmpty: Bool { !everything && tenants.isEmpty && !shared && !tokens }

    mutating func formUnion(_ other: ReloadScope) {
        everything = everything || other.everything
        tenants.formUnion(other.tenants)
        shared = shared || other.shared
        tokens = tokens || other.tokens
    }
}
