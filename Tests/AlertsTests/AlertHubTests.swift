import Alerts
import Dispatch
import Synchronization
import Testing

@Suite struct AlertHubTests {
    @Test func sequencesStartAtOnePerTenantAndAreContiguousAcrossPriorities() throws {
        let hub = AlertHub<String>(bufferCapacity: 8)
        #expect(hub.stats(tenant: "a") == (1, 0))
        #expect(hub.publish("a", 4) == 1)
        #expect(hub.publish("a", 1) == 2)
        #expect(hub.publish("a", 3) == 3)
        #expect(hub.publish("b", 2) == 1)
        #expect(hub.stats(tenant: "a") == (4, 1))
        #expect(hub.stats(tenant: "b") == (2, 1))
    }

    @Test func payloadIsBuiltWithItsSequence() async throws {
        let hub = AlertHub<String>(bufferCapacity: 8)
        hub.publish("a", 3)
        let subscriber = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        let seq = hub.publish(tenant: "a", priority: 4) { "built for \($0)" }
        #expect(await within { await subscriber.next() } == .some(alert(seq, 4, "built for 2")))
    }

    @Test func resumeAfterZeroDeliversOnlyNewAlerts() async throws {
        let hub = AlertHub<String>(bufferCapacity: 8)
        hub.publish("a", 4)
        hub.publish("a", 4)
        let subscriber = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        #expect(subscriber.nextSequenceAtStart == 3)
        #expect(subscriber.oldestBufferedAtStart == 1)
        hub.publish("a", 4)
        #expect(await within { await subscriber.next() } == .some(alert(3, 4, "a#3")))
    }

    @Test func resumeDeliversBufferedAlertsAfterTheNumberFilteredByPriority() async throws {
        let hub = AlertHub<String>(bufferCapacity: 8)
        for priority in [4, 1, 3, 2, 4] { hub.publish("a", priority) }
        let subscriber = try hub.subscribe(tenant: "a", minPriority: 3, resumeAfter: 1)
        hub.publish("a", 1)
        hub.publish("a", 3)
        let got = await within { await read(subscriber, 3) }
        #expect(got == [alert(3, 3, "a#3"), alert(5, 4, "a#5"), alert(7, 3, "a#7")])
    }

    @Test func resumeFromTheNewestSequenceWaitsForTheNextOne() async throws {
        let hub = AlertHub<String>(bufferCapacity: 8)
        for _ in 1...3 { hub.publish("a", 4) }
        let subscriber = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 3)
        hub.publish("a", 2)
        #expect(await within { await subscriber.next() } == .some(alert(4, 2, "a#4")))
    }

    @Test func resumeOlderThanTheBufferReportsTheExactGapFirst() async throws {
        let hub = AlertHub<String>(bufferCapacity: 4)
        for _ in 1...10 { hub.publish("a", 4) }  // buffered: 7...10
        #expect(hub.stats(tenant: "a") == (11, 7))
        let subscriber = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 2)
        let got = await within { await read(subscriber, 5) }
        #expect(got == [.gap(first: 3, last: 6), alert(7, 4, "a#7"), alert(8, 4, "a#8"), alert(9, 4, "a#9"), alert(10, 4, "a#10")])
    }

    @Test func resumeJustBeforeTheOldestHasNoGap() async throws {
        let hub = AlertHub<String>(bufferCapacity: 4)
        for _ in 1...10 { hub.publish("a", 4) }
        let subscriber = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 6)
        #expect(await within { await subscriber.next() } == .some(alert(7, 4, "a#7")))
    }

    /// A client that saw sequence numbers from an earlier life of the server (they restart at 1):
    /// treated as a fresh subscription, no gap, only new alerts.
    @Test func resumeBeyondTheNewestStartsFromNowWithoutAGap() async throws {
        let hub = AlertHub<String>(bufferCapacity: 4)
        for _ in 1...3 { hub.publish("a", 4) }
        let subscriber = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 500)
        #expect(subscriber.nextSequenceAtStart == 4)
        hub.publish("a", 4)
        #expect(await within { await subscriber.next() } == .some(alert(4, 4, "a#4")))

        let onEmpty = try hub.subscribe(tenant: "new", minPriority: 1, resumeAfter: 9)
        #expect(onEmpty.nextSequenceAtStart == 1)
        #expect(onEmpty.oldestBufferedAtStart == 0)
        hub.publish("new", 4)
        #expect(await within { await onEmpty.next() } == .some(alert(1, 4, "new#1")))
    }

    @Test func tenantsAreIsolated() async throws {
        let hub = AlertHub<String>(bufferCapacity: 8)
        let a = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        let b = try hub.subscribe(tenant: "b", minPriority: 1, resumeAfter: 0)
        hub.publish("a", 4)
        hub.publish("b", 4)
        hub.publish("a", 4)
        #expect(await within { await read(a, 2) } == [alert(1, 4, "a#1"), alert(2, 4, "a#2")])
        #expect(await within { await b.next() } == .some(alert(1, 4, "b#1")))
        // b has nothing more: its next() waits (and ends when cancelled).
        let waiting = Task { await b.next() }
        #expect(await eventually { hub.waitingSubscriberCount(tenant: "b") == 1 })
        hub.publish("a", 4)
        #expect(hub.waitingSubscriberCount(tenant: "b") == 1)
        b.cancel()
        #expect(await boundedValue(waiting) == .some(nil))
    }

    @Test func everySubscriberOfATenantGetsEveryAlert() async throws {
        let hub = AlertHub<String>(bufferCapacity: 64)
        let subscribers = try (0..<5).map { _ in try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0) }
        for _ in 1...20 { hub.publish("a", 3) }
        let expected = (1...20).map { alert(UInt64($0), 3, "a#\($0)") }
        for subscriber in subscribers {
            #expect(await within { await read(subscriber, 20) } == expected.map { Optional($0) })
        }
    }

    @Test func concurrentPublishersGetUniqueContiguousSequences() async throws {
        let hub = AlertHub<String>(bufferCapacity: 100_000)
        let seen = Mutex<[UInt64]>([])
        let subscriber = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            var mine: [UInt64] = []
            for i in 0..<2_500 {
                mine.append(hub.publish(tenant: "a", priority: 1 + (i + worker) % 4) { "w\(worker)-\($0)" })
            }
            seen.withLock { $0.append(contentsOf: mine) }
        }
        let sequences = seen.withLock { $0 }.sorted()
        #expect(sequences == Array(1...20_000))
        #expect(hub.stats(tenant: "a") == (20_001, 1))
        // The subscriber sees them all, in order, each with the payload built for its number.
        let got = await within { await read(subscriber, 20_000) } ?? []
        var inOrder = true
        for (index, delivery) in got.enumerated() {
            guard case .alert(let sequence, _, let payload)? = delivery, sequence == UInt64(index + 1),
                payload.hasSuffix("-\(sequence)")
            else { inOrder = false; break }
        }
        #expect(got.count == 20_000)
        #expect(inOrder)
    }
}
