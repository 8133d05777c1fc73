import Logging
import Synchronization

extension ModelCache {
    /// Evicts least recently used tenant models until the loaded files fit the budget. Never
    /// evicts the shared default, nor `protected` (the model just loaded for a caller). A caller
    /// holding an evicted snapshot keeps using it; the memory goes when the last one lets go.
    func enforceBudget(protecting protected: ModelKey? = nil) {
        let budget = configuration.memoryBudgetBytes
        guard used.load(ordering: .relaxed) > budget else { return }
        evictionLock.withLock { _ in
            var candidates: [(key: ModelKey, lastUsed: UInt64)] = []
            for shard in shards {
                shard.entries.withLock { entries in
                    for (key, entry) in entries where entry.snapshot != nil && !key.isShared && key != protected {
                        candidates.append((key, entry.lastUsed))
                    }
                }
            }
            candidates.sort { $0.lastUsed < $1.lastUsed }
            for candidate in candidates {
                guard used.load(ordering: .relaxed) > budget else { break }
                let evicted: ModelSnapshot? = shard(candidate.key.tenant).entries.withLock { entries in
                    guard let index = entries.index(forKey: candidate.key), let snapshot = entries.values[index].snapshot else {
                        return nil
                    }
                    entries.values[index].snapshot = nil
                    entries.values[index].evicted = true
                    used.subtract(snapshot.sizeBytes, ordering: .relaxed)
                    return snapshot
                }
                if let evicted {
                    log("evicted \(candidate.key) \(evicted.version) (least recently used; memory budget \(budget) bytes)", level: .info, key: candidate.key)
                }
            }
            if used.load(ordering: .relaxed) > budget {
                logger.warning(
                    "models in use exceed the memory budget: nothing more can be evicted",
                    metadata: ["memory_used_bytes": "\(memoryUsedBytes)", "memory_budget_bytes": "\(budget)"])
            }
        }
    }
}
