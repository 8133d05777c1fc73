import Testing
@testable import Posix

@Suite struct TimerQueueTests {
    @Test func firesInDeadlineOrderWithTiesInSchedulingOrder() {
        var queue = TimerQueue()
        var fired: [String] = []
        _ = queue.schedule(at: 30) { fired.append("c") }
        _ = queue.schedule(at: 10) { fired.append("a1") }
        _ = queue.schedule(at: 20) { fired.append("b") }
        _ = queue.schedule(at: 10) { fired.append("a2") }
        #expect(queue.nextDeadline() == 10)
        while let work = queue.popDue(now: 25) { work() }
        #expect(fired == ["a1", "a2", "b"])
        #expect(queue.nextDeadline() == 30)
        let early = queue.popDue(now: 29)
        #expect(early == nil)
    }

    @Test func cancelledTimersNeverFireAndCancelIsIdempotent() {
        var queue = TimerQueue()
        var fired: [Int] = []
        let first = queue.schedule(at: 5) { fired.append(5) }
        _ = queue.schedule(at: 7) { fired.append(7) }
        let cancelledOnce = queue.cancel(first)
        let cancelledTwice = queue.cancel(first)
        #expect(cancelledOnce)
        #expect(!cancelledTwice)
        #expect(queue.nextDeadline() == 7)
        while let work = queue.popDue(now: 100) { work() }
        #expect(fired == [7])
        #expect(queue.isEmpty)
        #expect(queue.nextDeadline() == nil)
    }

    @Test func matchesASortedModelUnderRandomScheduleAndCancel() {
        var generator = SystemRandomNumberGenerator()
        var queue = TimerQueue()
        var live: [TimerID: UInt64] = [:]
        var order: [TimerID] = []
        var fired: [UInt64] = []
        for step in 0..<5000 {
            if Bool.random(using: &generator) || live.isEmpty {
                let deadline = UInt64.random(in: 0..<1000, using: &generator)
                var id: TimerID? = nil
                id = queue.schedule(at: deadline) { [deadline] in fired.append(deadline) }
                live[id!] = deadline
                order.append(id!)
            } else {
                let victim = live.keys.randomElement(using: &generator)!
                live[victim] = nil
                let wasPending = queue.cancel(victim)
                #expect(wasPending)
            }
            #expect(queue.count == live.count, "step \(step)")
        }
        while let work = queue.popDue(now: .max) { work() }
        #expect(fired == live.values.sorted())
    }
}
