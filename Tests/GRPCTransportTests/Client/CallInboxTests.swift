import RPC
import Synchronization
import Testing

@testable import GRPCTransport

struct CallInboxTests {
    @Test func messagesThenOKEnd() async throws {
        let inbox = CallInbox(onDrained: {})
        inbox.deliverHeaders(["a": "b"])
        #expect(inbox.deliver(ReceivedMessage(bytes: [1])))
        #expect(inbox.deliver(ReceivedMessage(bytes: [2], wasCompressed: true)))
        inbox.finish(.ok, trailers: ["t": "v"], dropBuffered: false)
        #expect(try await inbox.next() == ReceivedMessage(bytes: [1]))
        #expect(try await inbox.next() == ReceivedMessage(bytes: [2], wasCompressed: true))
        #expect(try await inbox.next() == nil)
        #expect(await inbox.initialMetadata().first("a") == "b")
        #expect(await inbox.end().trailers.first("t") == "v")
    }

    @Test func errorStatusIsThrownAfterBufferedMessages() async throws {
        let inbox = CallInbox(onDrained: {})
        _ = inbox.deliver(ReceivedMessage(bytes: [7]))
        inbox.finish(Status(code: .unknown, message: "boom"), trailers: [:], dropBuffered: false)
        #expect(try await inbox.next()?.bytes == [7])
        await #expect(throws: RPCError(.unknown, "boom")) { try await inbox.next() }
    }

    @Test func localEndDropsBufferedMessages() async throws {
        let inbox = CallInbox(onDrained: {})
        _ = inbox.deliver(ReceivedMessage(bytes: [7]))
        inbox.finish(Status(code: .cancelled, message: "x"), trailers: [:], dropBuffered: true)
        await #expect(throws: RPCError.self) { try await inbox.next() }
    }

    @Test func waitingReaderIsWokenByAMessageAndByTheEnd() async throws {
        let inbox = CallInbox(onDrained: {})
        async let first = inbox.next()
        async let headers = inbox.initialMetadata()
        try await Task.sleep(for: .milliseconds(10))
        _ = inbox.deliver(ReceivedMessage(bytes: [9]))
        #expect(try await first?.bytes == [9])
        inbox.finish(.ok, trailers: [:], dropBuffered: false)
        #expect(await headers.isEmpty)
        #expect(try await inbox.next() == nil)
    }

    @Test func deliverAfterEndIsIgnored() async throws {
        let inbox = CallInbox(onDrained: {})
        inbox.finish(.ok, trailers: [:], dropBuffered: false)
        _ = inbox.deliver(ReceivedMessage(bytes: [1]))
        #expect(try await inbox.next() == nil)
    }

    @Test func slowReaderHoldsTheWindowUntilItCatchesUp() async throws {
        let drained = Atomic<Int>(0)
        let inbox = CallInbox(onDrained: { drained.add(1, ordering: .relaxed) })
        let chunk = ReceivedMessage(bytes: [UInt8](repeating: 0, count: 1 << 20))
        var accepted = 0
        while inbox.deliver(chunk) { accepted += 1 }
        #expect(accepted == 4)  // the fifth megabyte crosses the 4 MiB mark
        for _ in 0..<2 { _ = try await inbox.next() }
        #expect(drained.load(ordering: .relaxed) == 0)
        _ = try await inbox.next()  // 2 MiB left: at the low-water mark
        #expect(drained.load(ordering: .relaxed) == 1)
    }

    @Test func concurrentReadersEachGetOneMessage() async throws {
        let inbox = CallInbox(onDrained: {})
        async let first = inbox.next()
        async let second = inbox.next()
        try await Task.sleep(for: .milliseconds(10))
        _ = inbox.deliver(ReceivedMessage(bytes: [1]))
        _ = inbox.deliver(ReceivedMessage(bytes: [2]))
        let got = Set([try await first?.bytes, try await second?.bytes])
        #expect(got == [[1], [2]])
    }
}
