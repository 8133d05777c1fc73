@testable import GRPCTransport
import Testing

@Suite struct IncidentThrottleTests {
    @Test func reportsAtMostPerSecondAndCountsTheRest() {
        var throttle = IncidentThrottle()
        let second: UInt64 = 1_000_000_000
        var admitted = 0
        for index in 0..<50 where throttle.admit(now: 5 * second + UInt64(index)).report { admitted += 1 }
        #expect(admitted == IncidentThrottle.perSecond)
        let next = throttle.admit(now: 6 * second)
        #expect(next.report && next.leftOut == 50 - IncidentThrottle.perSecond)
        let after = throttle.admit(now: 6 * second + 1)
        #expect(after.report && after.leftOut == 0)
    }
}
