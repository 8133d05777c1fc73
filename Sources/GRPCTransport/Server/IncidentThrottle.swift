/// Keeps a flood of bad connections or requests from becoming a flood of log lines: at most
/// ``perSecond`` incidents are reported each second (per event loop); the next one reported
/// says how many were left out in between.
struct IncidentThrottle {
    static let perSecond = 20

    private var second: UInt64 = 0
    private var reported = 0
    private var leftOut = 0

    /// Whether to report an incident now (`now`: monotonic nanoseconds) and, if so, how many were
    /// left out since the last one reported.
    mutating func admit(now: UInt64) -> (report: Bool, leftOut: Int) {
        let current = now / 1_000_000_000
        if current != second {
            second = current
            reported = 0
        }
        guard reported < Self.perSecond else {
            leftOut += 1
            return (false, 0)
        }
        reported += 1
        defer { leftOut = 0 }
        return (true, leftOut)
    }
}
