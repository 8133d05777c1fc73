import Synchronization
import Testing
@testable import Posix

/// Accepts connections and hands each to an `EchoConnection`.
private final class Listener: EventHandler {
    let fd: Int32
    let loop: EventLoop
    var connections = 0
    init(fd: Int32, loop: EventLoop) { self.fd = fd; self.loop = loop }
    func onReadable() {
        while let (client, _) = try! Socket.accept(fd) {
            connections += 1
            Socket.setNoDelay(client)
            try! loop.register(fd: client, handler: EchoConnection(fd: client, loop: loop), readable: true, writable: false)
        }
    }
    func onWritable() { Issue.record("listener is never writable") }
}

/// Writes back whatever it reads; flushes once per iteration; closes on EOF.
private final class EchoConnection: EventHandler, IterationEndHandler {
    let fd: Int32
    let loop: EventLoop
    var pending: [UInt8] = []
    var readBuffer = [UInt8](repeating: 0, count: 16384)
    var flushQueued = false
    var peerClosed = false
    init(fd: Int32, loop: EventLoop) { self.fd = fd; self.loop = loop }

    func onReadable() {
        while true {
            switch try! Socket.read(fd, into: &readBuffer, range: 0..<readBuffer.count) {
            case .bytes(let count):
                pending.append(contentsOf: readBuffer[..<count])
                if pending.count > 1 << 20 { break }  // stop reading while the output is large
                continue
            case .wouldBlock:
                break
            case .closed:
                peerClosed = true
            }
            break
        }
        if !flushQueued {
            flushQueued = true
            loop.afterIteration(notify: self)
        }
    }

    func onIterationEnd() {
        flushQueued = false
        flush()
    }

    func onWritable() { flush() }

    func flush() {
        while !pending.isEmpty {
            guard case .bytes(let count) = try! Socket.write(fd, pending[...]) else { break }
            pending.removeFirst(count)
        }
        if pending.isEmpty && peerClosed {
            loop.deregister(fd: fd)
            Socket.close(fd)
            return
        }
        try! loop.modify(fd: fd, readable: pending.count <= 1 << 20, writable: !pending.isEmpty)
    }
}

/// Connects, sends `payload`, reads the echo, half-closes, then waits for the server's EOF.
private final class EchoClient: EventHandler {
    let fd: Int32
    let loop: EventLoop
    let payload: [UInt8]
    var sent = 0
    var received: [UInt8] = []
    var connected = false
    var halfClosed = false
    let done: CheckedContinuation<[UInt8], Never>

    init(port: Int, payload: [UInt8], loop: EventLoop, done: CheckedContinuation<[UInt8], Never>) throws {
        self.fd = try Socket.connectTCP(host: "127.0.0.1", port: port)
        self.payload = payload
        self.loop = loop
        self.done = done
        try loop.register(fd: fd, handler: self, readable: true, writable: true)
    }

    func onWritable() {
        if !connected {
            if let error = Socket.connectError(fd) { Issue.record("connect failed: \(error)"); return }
            connected = true
        }
        while sent < payload.count {
            guard case .bytes(let count) = try! Socket.write(fd, payload[sent...]) else { return }
            sent += count
        }
        if !halfClosed {
            halfClosed = true
            Socket.shutdownWrite(fd)
        }
        try! loop.modify(fd: fd, readable: true, writable: false)
    }

    func onReadable() {
        while true {
            switch try! Socket.read(fd, into: &received, max: 65536) {
            case .bytes: continue
            case .wouldBlock: return
            case .closed:
                loop.deregister(fd: fd)
                Socket.close(fd)
                done.resume(returning: received)
                return
            }
        }
    }
}

@Suite(.timeLimit(.minutes(1))) struct EventLoopTests {
    @Test func echoServerOverLoopback() async throws {
        let serverLoop = try EventLoop(name: "echo-server")
        let clientLoop = try EventLoop(name: "echo-client")
        let listenFD = try Socket.listenTCP(host: "127.0.0.1", port: 0)
        let port = try Socket.boundPort(listenFD)
        let listener = Listener(fd: listenFD, loop: serverLoop)
        try serverLoop.register(fd: listenFD, handler: listener, readable: true, writable: false)  // before start: allowed
        serverLoop.start()
        clientLoop.start()
        defer {
            serverLoop.execute { serverLoop.deregister(fd: listenFD); Socket.close(listenFD) }
            serverLoop.stop(); clientLoop.stop(); serverLoop.join(); clientLoop.join()
        }

        let payloads: [[UInt8]] = [
            Array("hello".utf8),
            (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 * 7) },  // larger than socket buffers
            [],
        ]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for payload in payloads {
                group.addTask {
                    let echoed = await withCheckedContinuation { continuation in
                        clientLoop.execute {
                            _ = try! EchoClient(port: port, payload: payload, loop: clientLoop, done: continuation)
                        }
                    }
                    #expect(echoed.count == payload.count)
                    #expect(echoed == payload)
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func timersFireInOrderAndCancelWorks() async throws {
        let loop = try EventLoop(name: "timers")
        loop.start()
        defer { loop.stop(); loop.join() }
        let order = await withCheckedContinuation { (continuation: CheckedContinuation<[String], Never>) in
            loop.execute {
                var fired: [String] = []
                let start = monotonicNanoseconds()
                loop.schedule(after: 30_000_000) { fired.append("30ms") }
                loop.schedule(after: 10_000_000) {
                    fired.append("10ms")
                    #expect(monotonicNanoseconds() - start >= 10_000_000, "never early")
                }
                let cancelled = loop.schedule(after: 15_000_000) { fired.append("cancelled") }
                loop.schedule(after: 20_000_000) { fired.append("20ms") }
                loop.schedule(after: 0) { fired.append("0ms-a") }
                loop.schedule(after: 0) { fired.append("0ms-b") }
                loop.schedule(after: 5_000_000) { loop.cancel(cancelled) }
                loop.schedule(after: 40_000_000) { continuation.resume(returning: fired) }
            }
        }
        #expect(order == ["0ms-a", "0ms-b", "10ms", "20ms", "30ms"])
    }

    @Test func executeFromManyThreadsWakesTheLoopAndRunsEverythingOnIt() async throws {
        let loop = try EventLoop(name: "execute")
        loop.start()
        defer { loop.stop(); loop.join() }
        // The loop is idle in epoll_wait(-1): only the eventfd can wake it.
        try await Task.sleep(for: .milliseconds(20))
        let counter = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<1000 {
                        loop.execute {
                            #expect(loop.inEventLoop)
                            counter.value += 1
                        }
                    }
                }
            }
        }
        let total = await withCheckedContinuation { continuation in
            loop.execute { continuation.resume(returning: counter.value) }
        }
        #expect(total == 8000)
        #expect(!loop.inEventLoop)
    }

    @Test func afterIterationRunsOnceAfterTheBatch() async throws {
        let loop = try EventLoop(name: "after")
        loop.start()
        defer { loop.stop(); loop.join() }
        let log = await withCheckedContinuation { (continuation: CheckedContinuation<[String], Never>) in
            loop.execute {
                var log: [String] = []
                loop.afterIteration { log.append("after") }
                log.append("task")
                loop.schedule(after: 1_000_000) {
                    log.append("timer")
                    continuation.resume(returning: log)
                }
            }
        }
        #expect(log == ["task", "after", "timer"])
    }

    @Test func executeAfterTheLoopExitedRunsInline() async throws {
        let loop = try EventLoop(name: "exited")
        loop.start()
        loop.stop()
        loop.join()
        let ran = Counter()
        loop.execute { ran.value += 1 }
        #expect(ran.value == 1)
    }

    @Test func groupHandsOutLoopsRoundRobin() throws {
        let group = try EventLoopGroup(count: 3, name: "rr")
        let picks = (0..<6).map { _ in ObjectIdentifier(group.next()) }
        #expect(picks[0] != picks[1] && picks[1] != picks[2] && picks[0] != picks[2])
        #expect(Array(picks[0..<3]) == Array(picks[3..<6]))
        #expect(group.loops.map(\.name) == ["rr-0", "rr-1", "rr-2"])
        group.start()
        group.stop()
    }

    @Test func loopsAndConnectionsDoNotLeakDescriptors() async throws {
        let before = try #require(openFileDescriptorCount())
        for round in 0..<20 {
            let loop = try EventLoop(name: "leak-\(round)")
            let listenFD = try Socket.listenTCP(host: "127.0.0.1", port: 0)
            let listener = Listener(fd: listenFD, loop: loop)
            try loop.register(fd: listenFD, handler: listener, readable: true, writable: false)
            loop.start()
            let port = try Socket.boundPort(listenFD)
            let echoed = await withCheckedContinuation { continuation in
                loop.execute { _ = try! EchoClient(port: port, payload: [1, 2, 3], loop: loop, done: continuation) }
            }
            #expect(echoed == [1, 2, 3])
            // The server side closes when it has flushed after the client's FIN.
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                loop.execute {
                    loop.deregister(fd: listenFD)
                    Socket.close(listenFD)
                    loop.schedule(after: 5_000_000) { continuation.resume() }
                }
            }
            loop.stop()
            loop.join()
        }
        // 20 rounds × (epoll + eventfd + listener + 2 sockets) = 100 descriptors if anything leaked;
        // allow a little noise from tests running in parallel.
        let after = try #require(openFileDescriptorCount())
        #expect(after - before < 20, "before \(before), after \(after)")
    }
}

/// Mutated only on one loop thread (or after the loop exited); read after synchronising.
private final class Counter: @unchecked Sendable {
    var value = 0
}
