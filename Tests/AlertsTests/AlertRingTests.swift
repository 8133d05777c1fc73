@testable import Alerts
import Testing

@Suite struct AlertRingTests {
    @Test func emptyRingHasNothing() throws {
        let ring = AlertRing<String>(capacity: 3)
        #expect(ring.nextSequence == 1)
        #expect(ring.oldest == 0)
        #expect(ring.newest == 0)
        #expect(ring.entry(1) == nil)
    }

    @Test func keepsTheLatestCapacityEntries() throws {
        var ring = AlertRing<String>(capacity: 3)
        for i in 1...5 { _ = ring.append(priority: i) { "p\($0)" } }
        #expect(ring.nextSequence == 6)
        #expect(ring.oldest == 3)
        #expect(ring.count == 3)
        #expect(ring.entry(2) == nil)
        #expect(ring.entry(6) == nil)
        for s: UInt64 in 3...5 {
            #expect(ring.entry(s)?.payload == "p\(s)")
            #expect(ring.entry(s)?.priority == Int(s))
        }
    }

    @Test func capacityOneKeepsOnlyTheNewest() throws {
        var ring = AlertRing<String>(capacity: 1)
        _ = ring.append(priority: 1) { "p\($0)" }
        _ = ring.append(priority: 1) { "p\($0)" }
        #expect(ring.oldest == 2)
        #expect(ring.entry(1) == nil)
        #expect(ring.entry(2)?.payload == "p2")
    }
}
