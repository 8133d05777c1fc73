/// What the test expects the model cache to hold for the tenant's model file.
struct ReloadExpectation {
    /// The tenant's own version serving; nil when the shared default answers (no file, or a
    /// file that never loaded).
    var tenantVersion: String?
    /// Whether a file is at the path (valid or not).
    var fileExists: Bool
}

/// The file operations the mutator performs on the tenant's model.
enum ReloadOperation: CustomStringConvertible, Equatable {
    /// Write-then-rename of valid copy `index`.
    case replace(Int)
    /// Delete the file: the tenant falls back to the shared default.
    case remove
    /// Rename a corrupted file (bad CRC) over it.
    case corrupt
    /// Rename a truncated file (first half of a valid one) over it.
    case truncate
    /// Rewrite the file in place with valid copy `index`: half, a pause, the rest.
    case slowInPlace(Int)

    var description: String {
        switch self {
        case .replace(let index): "replace with valid copy \(index + 1) (write-then-rename)"
        case .remove: "remove"
        case .corrupt: "rename a corrupt file (bad CRC) over it"
        case .truncate: "rename a truncated file over it"
        case .slowInPlace(let index): "rewrite in place slowly with valid copy \(index + 1)"
        }
    }

    /// 42 operations: each valid copy installed 4 times by rename and twice in place, 8 removals,
    /// 8 corrupt and 8 truncated files, in an order drawn from `random`. A removal never follows
    /// a removal (there would be nothing to remove).
    static func plan(_ random: inout ReloadRandom) -> [ReloadOperation] {
        var bag: [ReloadOperation] = []
        for index in 0..<3 { bag += Array(repeating: .replace(index), count: 4) + Array(repeating: .slowInPlace(index), count: 2) }
        bag += Array(repeating: .remove, count: 8) + Array(repeating: .corrupt, count: 8) + Array(repeating: .truncate, count: 8)
        bag.shuffle(using: &random)
        var plan: [ReloadOperation] = []
        while !bag.isEmpty {
            let index = plan.last == .remove ? (bag.firstIndex { $0 != .remove } ?? 0) : 0
            plan.append(bag.remove(at: index))
        }
        return plan
    }
}

/// How the mutator gets the cache to notice a change.
enum ReloadTrigger: CaseIterable, CustomStringConvertible {
    /// Nobody asks: the watcher's inotify events must do it (the periodic rescan is an hour away).
    case inotify
    /// `application.reload()`, what SIGHUP calls.
    case reload
    /// The ReloadModels admin RPC over our client.
    case reloadModelsRPC

    var description: String {
        switch self {
        case .inotify: "inotify only"
        case .reload: "reload()"
        case .reloadModelsRPC: "ReloadModels RPC"
        }
    }
}
