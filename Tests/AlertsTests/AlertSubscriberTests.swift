import Alerts
import Synchronization
import Testing

@Suite struct AlertSubscriberTests {
    @Test func waitingNextIsWokenByAPublish() async throws {
        let hub = AlertHub<String>(bufferCapacity: 8)
        let subscriber = try hub.subscribe(tenant: "a", minPriority: 3, resumeAfter: 0)
        let waiting = Task { await subscriber.next() }
        #expect(await eventually { hub.waitingSubscriberCount(tenant: "a") == 1 })
        hub.publish("a", 1)  // below its priority: stays asleep
        hub.publish("a", 2)
        #expect(hub.waitingSubscriberCount(tenant: "a") == 1)
        hub.publish("a", 3)
        #expect(await boundedValue(waiting) == .some(alert(3, 3, "a#3")))
        #expect(hub.waitingSubscriberCount(tenant: "a") == 0)
    }

    /// Alerts below the subscriber's priority that leave the ring while it waits are not a gap.
    @Test func filteredAlertsPushedOutWhileWaitingAreNotAGap() async throws {
        let hub = AlertHub<String>(bufferCapacity: 4)
        let subscriber = try hub.subscribe(tenant: "a", minPriority: 4, resumeAfter: 0)
        let waiting = Task { await read(subscriber, 2) }
        #expect(await eventually { hub.waitingSubscriberCount(tenant: "a") == 1 })
        for _ in 1...10 { hub.publish("a", 1) }
        hub.publish("a", 4)
        #expect(await eventually { hub.waitingSubscriberCount(tenant: "a") == 1 })
        hub.publish("a", 4)
        #expect(await boundedValue(waiting) == [alert(11, 4, "a#11"), alert(12, 4, "a#12")])
    }

    @Test func cancelEndsAWaitingNextWithNil() async throws {
        let hub = AlertHub<String>(bufferCapacity: 8)
        let subscriber = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        let waiting = Task { await subscriber.next() }
        #expect(await eventually { hub.waitingSubscriberCount(tenant: "a") == 1 })
        subscriber.cancel()
        #expect(await boundedValue(waiting) == .some(nil))
        #expect(hub.subscriberCount(tenant: "a") == 0)
        #expect(hub.waitingSubscriberCount(tenant: "a") == 0)
    }

    @Test func nextAfterCancelIsNilEvenWithBufferedAlerts() async throws {
        let hub = AlertHub<String>(bufferCapacity: 8)
        hub.publish("a", 4)
        let subscriber = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        hub.publish("a", 4)
        subscriber.cancel()
        subscriber.cancel()  // idempotent
        #expect(await within { await subscriber.next() } == .some(nil))
        hub.publish("a", 4)
        #expect(await within { await subscriber.next() } == .some(nil))
    }

    @Test func cancellingTheWaitingTaskEndsTheSubscription() async throws {
        let hub = AlertHub<String>(bufferCapacity: 8)
        let subscriber = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        let waiting = Task { await subscriber.next() }
        #expect(await eventually { hub.waitingSubscriberCount(tenant: "a") == 1 })
        waiting.cancel()
        #expect(await boundedValue(waiting) == .some(nil))
        #expect(hub.subscriberCount(tenant: "a") == 0)
        hub.publish("a", 4)
        #expect(await within { await subscriber.next() } == .some(nil))
    }

    @Test func nextInAnAlreadyCancelledTaskReturnsNil() async throws {
        let hub = AlertHub<String>(bufferCapacity: 8)
        let subscriber = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        hub.publish("a", 4)
        let task = Task {
            while !Task.isCancelled { await Task.yield() }
            return await subscriber.next()
        }
        task.cancel()
        #expect(await boundedValue(task) == .some(nil))
        #expect(hub.subscriberCount(tenant: "a") == 0)
    }

    /// Cancellation racing with publishes and waits: every next() ends (no lost or double-resumed
    /// continuation, which would hang or crash here).
    @Test func cancellationRacingPublishesNeverHangs() async throws {
        let hub = AlertHub<String>(bufferCapacity: 16)
        for round in 0..<200 {
            let subscriber = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
            let reader = Task { () -> Int in
                var count = 0
                while await subscriber.next() != nil { count += 1 }
                return count
            }
            for _ in 0..<(round % 7) { hub.publish("a", 2) }
            if round % 2 == 0 { subscriber.cancel() } else { reader.cancel() }
            let count = await boundedValue(reader)
            #expect(count != nil)
            if count == nil { break }
        }
        #expect(hub.subscriberCount(tenant: "a") == 0)
        #expect(hub.waitingSubscriberCount(tenant: "a") == 0)
    }

    @Test func aSecondConcurrentNextGetsNilAndLeavesTheFirstWaiting() async throws {
        let hub = AlertHub<String>(bufferCapacity: 8)
        let subscriber = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        let first = Task { await subscriber.next() }
        #expect(await eventually { hub.waitingSubscriberCount(tenant: "a") == 1 })
        #expect(await within { await subscriber.next() } == .some(nil))
        hub.publish("a", 4)
        #expect(await boundedValue(first) == .some(alert(1, 4, "a#1")))
    }

    @Test func registrationsAreRemovedWhenSubscribersLeave() async throws {
        let hub = AlertHub<String>(bufferCapacity: 8)
        let kept = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        let cancelled = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        do {
            _ = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)  // released at once
        }
        #expect(hub.subscriberCount(tenant: "a") == 2)
        cancelled.cancel()
        #expect(hub.subscriberCount(tenant: "a") == 1)
        kept.cancel()
        #expect(hub.subscriberCount(tenant: "a") == 0)
        #expect(hub.waitingSubscriberCount(tenant: "a") == 0)
        // The buffer stays for later resumes.
        hub.publish("a", 4)
        let later = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        #expect(later.oldestBufferedAtStart == 1)
    }

    @Test func releasingASubscriberRemovesItsRegistration() throws {
        let hub = AlertHub<String>(bufferCapacity: 8)
        var subscriber: AlertSubscriber<String>? = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        #expect(hub.subscriberCount(tenant: "a") == 1)
        #expect(subscriber != nil)
        subscriber = nil
        #expect(hub.subscriberCount(tenant: "a") == 0)
    }

    @Test func aSubscriberThatFallsBehindGetsTheExactGapThenContinues() async throws {
        let hub = AlertHub<String>(bufferCapacity: 4)
        let slow = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        let other = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        hub.publish("a", 4)
        hub.publish("a", 4)
        #expect(await within { await read(slow, 1) } == [alert(1, 4, "a#1")])
        for _ in 3...10 { hub.publish("a", 4) }  // buffered now: 7...10; slow's cursor is at 2
        #expect(await within { await read(slow, 5) } == [.gap(first: 2, last: 6), alert(7, 4, "a#7"), alert(8, 4, "a#8"), alert(9, 4, "a#9"), alert(10, 4, "a#10")])
        hub.publish("a", 4)
        #expect(await within { await slow.next() } == .some(alert(11, 4, "a#11")))
        // The other subscriber, which read nothing, lost 1...7.
        #expect(await within { await other.next() } == .some(.gap(first: 1, last: 7)))
    }

    /// A slow subscriber (never reads) while a fast one receives 10,000 alerts, published by
    /// another task that only waits for the fast reader (never for the slow one).
    @Test func aSlowSubscriberNeverHoldsUpAFastOne() async throws {
        let capacity = 1024
        let total = 10_000
        let hub = AlertHub<String>(bufferCapacity: capacity)
        let slow = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        let fast = try hub.subscribe(tenant: "a", minPriority: 1, resumeAfter: 0)
        let readUpTo = Progress()
        let reader = Task { () -> Bool in
            for expected in 1...total {
                guard case .alert(let sequence, _, let payload)? = await fast.next(),
                    sequence == UInt64(expected), payload == "a#\(expected)"
                else { return false }
                readUpTo.value.store(expected, ordering: .releasing)
            }
            return true
        }
        let publisher = Task { () -> Bool in
            // Batches of half the buffer; wait until the fast reader is done with the previous one
            // so it can never fall out of the buffer (the slow one does, and is not waited for).
            var published = 0
            while published < total {
                let batch = min(capacity / 2, total - published)
                for _ in 0..<batch { hub.publish("a", 4) }
                published += batch
                while readUpTo.value.load(ordering: .acquiring) < published - capacity / 2 {
                    if Task.isCancelled { return false }
                    await Task.yield()
                }
            }
            return true
        }
        #expect(await boundedValue(publisher) == .some(true))
        #expect(await boundedValue(reader) == .some(true))
        // The slow subscriber is told exactly what it lost, then gets the buffered rest.
        let lastLost = UInt64(total - capacity)
        #expect(await within { await slow.next() } == .some(.gap(first: 1, last: lastLost)))
        let rest = await within { await read(slow, capacity) } ?? []
        let expectedRest = (Int(lastLost) + 1...total).map { Optional(alert(UInt64($0), 4, "a#\($0)")) }
        #expect(rest.count == capacity)
        #expect(rest == expectedRest, "the slow subscriber's buffered alerts after the gap differ")
    }

    /// A dashboard reconnects with the last number it saw and gets what it missed.
    @Test func resumeAfterReconnectGetsWhatWasMissed() async throws {
        let hub = AlertHub<String>(bufferCapacity: 64)
        var first: AlertSubscriber<String>? = try hub.subscribe(tenant: "a", minPriority: 3, resumeAfter: 0)
        for priority in [4, 3, 1] { hub.publish("a", priority) }
        let seen = await within { [first] in await read(first!, 2) } ?? []
        #expect(seen == [alert(1, 4, "a#1"), alert(2, 3, "a#2")])
        first = nil  // connection dropped
        #expect(hub.subscriberCount(tenant: "a") == 0)
        for priority in [3, 2, 4] { hub.publish("a", priority) }  // 4, 5, 6 while away
        let again = try hub.subscribe(tenant: "a", minPriority: 3, resumeAfter: 2)
        hub.publish("a", 4)  // 7, after reconnecting
        #expect(await within { await read(again, 3) } == [alert(4, 3, "a#4"), alert(6, 4, "a#6"), alert(7, 4, "a#7")])
    }
}

/// How far the fast reader got (shared by the reader and publisher tasks).
private final class Progress: Sendable {
    let value = Atomic<Int>(0)
}
