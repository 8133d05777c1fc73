/// One ClassifyIntent call made by a load client: when it started and when its answer arrived
/// (monotonic ns), and the model version that answered, or why it failed.
struct ReloadObservation: Sendable {
    let start: UInt64
    let end: UInt64
    let version: String
    let tenant: String
    let failure: String?
}

/// When each model version may have been serving the tenant, as far as the test can observe:
/// a version becomes available at the earliest when the file operation that brings it starts,
/// and stops at the latest when the test has seen (ListModels) the cache switch to the next one.
/// A response naming `v` is consistent when `v` was available at some instant between the
/// request's start and the response's arrival (a request started before a swap may be answered
/// by the old version after it).
struct ReloadTimeline {
    struct Interval: CustomStringConvertible {
        let from: UInt64
        var to: UInt64
        var description: String { "[\(from), \(to == .max ? "end" : String(to))]" }
    }

    private(set) var intervals: [String: [Interval]] = [:]
    private(set) var serving: String

    init(initial version: String, at time: UInt64) {
        serving = version
        intervals[version] = [Interval(from: time, to: .max)]
    }

    /// An operation that started at `begun` left `version` serving, as observed at `settled`.
    mutating func settled(serving version: String, begun: UInt64, settled: UInt64) {
        guard version != serving else { return }
        if var open = intervals[serving]?.popLast() {
            open.to = settled
            intervals[serving]!.append(open)
        }
        intervals[version, default: []].append(Interval(from: begun, to: .max))
        serving = version
    }

    /// Whether `version` may have been serving at some instant in `[start, end]`.
    func wasAvailable(_ version: String, from start: UInt64, to end: UInt64) -> Bool {
        intervals[version, default: []].contains { $0.from <= end && start <= $0.to }
    }
}
