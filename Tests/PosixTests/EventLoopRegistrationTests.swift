import Testing
@testable import Posix

/// Records calls; `onFirstReadable` runs on the first readable event.
private final class Recorder: EventHandler {
    var readable = 0
    var writable = 0
    var onFirstReadable: (() -> Void)?
    func onReadable() {
        readable += 1
        if readable == 1, let action = onFirstReadable { action() }
    }
    func onWritable() { writable += 1 }
}

/// A connected loopback pair (client, server), both non-blocking.
private func connectedPair() throws -> (Int32, Int32) {
    let listener = try Socket.listenTCP(host: "127.0.0.1", port: 0)
    defer { Socket.close(listener) }
    let client = try Socket.connectTCP(host: "127.0.0.1", port: try Socket.boundPort(listener))
    for _ in 0..<1_000_000 {
        if let (server, _) = try Socket.accept(listener) { return (client, server) }
    }
    Socket.close(client)
    throw SystemCallError(call: "accept (test)", errno: 110)
}

@Suite(.timeLimit(.minutes(1))) struct EventLoopRegistrationTests {
    /// Runs `body` on a fresh loop and waits until it calls `done` (or 2 s).
    private func onLoop(_ body: @escaping @Sendable (EventLoop, @escaping @Sendable () -> Void) -> Void) async throws {
        let loop = try EventLoop(name: "registration")
        loop.start()
        defer { loop.stop(); loop.join() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            loop.execute { body(loop) { continuation.resume() } }
        }
    }

    @Test func staleEventsForAReusedDescriptorAreDropped() async throws {
        let (client1, server1) = try connectedPair()
        let (client2, server2) = try connectedPair()
        defer { [client1, client2, server1].forEach(Socket.close) }
        let result = Box<(reused: Bool, strayCalls: Int)>((false, 0))
        try await onLoop { loop, done in
            let first = Recorder(), second = Recorder(), newcomer = Recorder()
            // Whichever handler runs first closes the other's fd and registers a quiet socket that
            // (very likely) gets the same number; the other's queued event must not reach it.
            func takeOver(victim: Int32) {
                loop.deregister(fd: victim)
                Socket.close(victim)
                let quiet = try! Socket.listenTCP(host: "127.0.0.1", port: 0)
                try! loop.register(fd: quiet, handler: newcomer, readable: true, writable: false)
                result.value.reused = quiet == victim
                loop.afterIteration {
                    result.value.strayCalls = newcomer.readable
                    loop.deregister(fd: quiet)
                    Socket.close(quiet)
                    done()
                }
            }
            first.onFirstReadable = { takeOver(victim: server2) }
            second.onFirstReadable = { takeOver(victim: server1) }
            try! loop.register(fd: server1, handler: first, readable: true, writable: false)
            try! loop.register(fd: server2, handler: second, readable: true, writable: false)
            _ = try! Socket.write(client1, [1][...])
            _ = try! Socket.write(client2, [2][...])
        }
        #expect(result.value.strayCalls == 0)
        if !result.value.reused { print("note: descriptor was not reused; the stale-event check was vacuous") }
    }

    @Test func interestInNeitherEventStopsHangupReports() async throws {
        let (client, server) = try connectedPair()
        defer { Socket.close(server) }
        let calls = Box((whileUninterested: 0, afterwards: 0))
        try await onLoop { loop, done in
            let recorder = Recorder()
            try! loop.register(fd: server, handler: recorder, readable: true, writable: false)
            try! loop.modify(fd: server, readable: false, writable: false)
            Socket.close(client)  // HUP/RDHUP on server: must not be reported while uninterested
            loop.schedule(after: 30_000_000) {
                calls.value.whileUninterested = recorder.readable + recorder.writable
                // Interest again: the EOF is reported.
                try! loop.modify(fd: server, readable: true, writable: false)
                loop.schedule(after: 30_000_000) {
                    calls.value.afterwards = recorder.readable
                    loop.deregister(fd: server)
                    done()
                }
            }
        }
        #expect(calls.value.whileUninterested == 0)
        #expect(calls.value.afterwards >= 1, "EOF reported once readable again")
    }

    @Test func writableInterestIsReportedUntilRemoved() async throws {
        let (client, server) = try connectedPair()
        defer { Socket.close(server); Socket.close(client) }
        let counts = Box((0, 0))
        try await onLoop { loop, done in
            let recorder = Recorder()
            try! loop.register(fd: server, handler: recorder, readable: false, writable: true)
            loop.schedule(after: 5_000_000) {
                counts.value.0 = recorder.writable
                try! loop.modify(fd: server, readable: false, writable: false)
                let before = recorder.writable
                loop.schedule(after: 20_000_000) {
                    counts.value.1 = recorder.writable - before
                    loop.deregister(fd: server)
                    done()
                }
            }
        }
        #expect(counts.value.0 >= 1)
        #expect(counts.value.1 == 0)
    }

    @Test func modifyingAnUnregisteredDescriptorThrows() throws {
        let loop = try EventLoop(name: "unregistered")
        #expect(throws: SystemCallError.self) { try loop.modify(fd: 1000, readable: true, writable: false) }
    }
}

/// Shared between the loop thread and the test; written on the loop, read after `done`.
private final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
