import Testing
@testable import RPC

@Suite struct RouterTests {
    @Test func resolvesRegisteredMethod() throws {
        var router = Router()
        router.register(MethodPath(service: "a.B", method: "C"), .unary { request, _ in request })
        guard case .success(.unary(let handler)) = router.resolve("/a.B/C").map(\.handler) else {
            Issue.record("expected a unary handler"); return
        }
        let info = ServerCallInfo(path: MethodPath(service: "a.B", method: "C"), requestMetadata: [:], deadline: nil, peer: "test")
        #expect(try handler([1, 2, 3], UnaryContext(info: info, requestWasCompressed: false)) == [1, 2, 3])
    }

    @Test(arguments: [
        ("/a.B/D", "method 'D' is not implemented by service 'a.B'"),
        ("/x.Y/C", "unknown service 'x.Y'"),
        ("nonsense", "malformed method path 'nonsense': expected /package.Service/Method"),
    ])
    func unknownPathsAreUnimplemented(path: String, message: String) {
        var router = Router()
        router.register(MethodPath(service: "a.B", method: "C"), .unary { request, _ in request })
        guard case .failure(let error) = router.resolve(path).map(\.handler) else {
            Issue.record("expected a failure"); return
        }
        #expect(error.code == .unimplemented)
        #expect(error.message == message)
    }
}

@Suite struct StatusTests {
    @Test(arguments: [(0, "OK"), (4, "DEADLINE_EXCEEDED"), (16, "UNAUTHENTICATED"), (99, "CODE(99)")])
    func names(raw: Int, name: String) {
        #expect(Status.Code(rawValue: raw).name == name)
    }

    @Test func parsesNames() {
        #expect(Status.Code(name: "resource_exhausted") == .resourceExhausted)
        #expect(Status.Code(name: "NOPE") == nil)
    }
}

@Suite struct RequestStreamTests {
    @Test func deliversInOrderThenFinishes() async throws {
        let (stream, source) = RequestStream.makeStream()
        Task {
            for i in 0..<100 { source.yield(ReceivedMessage(bytes: [UInt8(i)])) }
            source.finish()
        }
        let all = try await stream.collect()
        #expect(all.map { $0.bytes[0] } == (0..<100).map { UInt8($0) })
    }

    @Test func failurePropagates() async throws {
        let (stream, source) = RequestStream.makeStream()
        source.yield(ReceivedMessage(bytes: [1]))
        source.fail(RPCError(.cancelled, "reset by peer"))
        var iterator = stream.makeAsyncIterator()
        #expect(try await iterator.next()?.bytes == [1])
        await #expect(throws: RPCError(.cancelled, "reset by peer")) { try await iterator.next() }
    }

    @Test func reportsConsumption() async throws {
        let consumed = Mutex(0)
        let (stream, source) = RequestStream.makeStream { n in consumed.withLock { $0 += n } }
        source.yield(ReceivedMessage(bytes: [1, 2, 3]))
        source.yield(ReceivedMessage(bytes: [4]))
        source.finish()
        _ = try await stream.collect()
        #expect(consumed.withLock { $0 } == 4)
    }
}
import Synchronization
