/// How many of a connection's streams may end with an error before the server answered them:
/// the client's RST_STREAM, or nghttp2's reset of a malformed request. "Rapid reset"
/// (CVE-2023-44487) opens streams and resets them at once, so that the server starts work for
/// each (parsing, routing, a handler task) and the client pays for none of it.
///
/// A token bucket: ``burst`` such resets at once, refilled at ``perSecond``. A normal client
/// cancels a call now and then (deadlines, user cancels); one that resets more than 1,000
/// streams in a burst, or more than 100 a second for long, is cut off with GOAWAY
/// ENHANCE_YOUR_CALM by its ``ServerConnection``.
struct StreamResetBudget {
    static let burst = 1_000
    static let perSecond = 100
    private static let nanosecondsPerToken = UInt64(1_000_000_000 / perSecond)

    private var tokens = Self.burst
    /// When the last token was earned (or when the bucket was last full).
    private var earnedUntil: UInt64

    init(now: UInt64) {
        earnedUntil = now
    }

    /// Takes one token; false when none is left (the connection is over its bound).
    mutating func spend(now: UInt64) -> Bool {
        if now > earnedUntil {
            let earned = (now - earnedUntil) / Self.nanosecondsPerToken
            if earned >= UInt64(Self.burst - tokens) {
                tokens = Self.burst
                earnedUntil = now
            } else {
                tokens += Int(earned)
                earnedUntil += earned * Self.nanosecondsPerToken
            }
        }
        guard tokens > 0 else { return false }
        tokens -= 1
        return true
    }
}
