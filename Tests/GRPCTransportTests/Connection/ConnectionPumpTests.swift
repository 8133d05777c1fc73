import Glibc
import HTTP2
import Posix
import TLS
import Testing

@testable import GRPCTransport

/// Records what its pump reports; closes the pump on every failure but close_notify, as the
/// connections do. Lives on the test loop's thread.
final class RecordingPumpOwner: ConnectionPumpOwner {
    var pump: ConnectionPump<RecordingPumpOwner>!
    var headerBlocks = 0
    var dataBytes = 0
    var endStreams = 0
    var flushes = 0
    var established = false
    /// The failures' case names, in order.
    var failures: [String] = []

    func pumpHandle(_ events: [HTTP2Event]) {
        for event in events {
            switch event {
            case .headers: headerBlocks += 1
            case .data(let stream, let bytes):
                dataBytes += bytes.count
                pump.session.consume(stream: stream, bytes: bytes.count)
            case .endStream: endStreams += 1
            default: break
            }
        }
    }

    func pumpFlushed() { flushes += 1 }

    func pumpFailed(_ failure: ConnectionPumpFailure) {
        failures.append(String(String(describing: failure).prefix { $0 != "(" }))
        if case .closeNotify = failure { return }
        pump.close()
    }

    func pumpEstablished() { established = true }
}

/// A client pump and a server pump on one running loop, joined by a socketpair. Its state is
/// touched only on the loop's thread (``run(_:)``).
final class PumpPair: @unchecked Sendable {
    let loop: EventLoop
    private(set) var client: RecordingPumpOwner!
    private(set) var server: RecordingPumpOwner!

    /// `sendBuffer` shrinks the client socket's send buffer (partial writes).
    init(tls: Bool = false, clientALPN: [String] = ["h2"], sendBuffer: Int32? = nil) async throws {
        loop = try EventLoop(name: "pump-test")
        loop.start()
        try await run { pair in try pair.setUp(tls: tls, clientALPN: clientALPN, sendBuffer: sendBuffer) }
    }

    private func setUp(tls: Bool, clientALPN: [String], sendBuffer: Int32?) throws {
        var fds: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { throw SystemCallError(call: "socketpair", errno: errno) }
        if var size = sendBuffer {
            _ = setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            _ = setsockopt(fds[1], SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var serverTLS: TLSConnection? = nil
        var clientTLS: TLSConnection? = nil
        if tls {
            let serverContext = try TLSContext.server(
                certificateFile: PumpTestCertificates.path("server.pem"), privateKeyFile: PumpTestCertificates.path("server.key"))
            let clientContext = try TLSContext.client(caFile: PumpTestCertificates.path("ca.pem"), alpnProtocols: clientALPN)
            serverTLS = try TLSConnection(context: serverContext)
            clientTLS = try TLSConnection(context: clientContext, serverName: "localhost")
        }
        let client = RecordingPumpOwner()
        client.pump = ConnectionPump(
            fd: fds[0], loop: loop, session: try HTTP2Session(role: .client), tls: clientTLS,
            readBuffer: ConnectionReadBuffer(), outputHighWater: 512 * 1024, connecting: true, owner: client)
        let server = RecordingPumpOwner()
        server.pump = ConnectionPump(
            fd: fds[1], loop: loop, session: try HTTP2Session(role: .server), tls: serverTLS,
            readBuffer: ConnectionReadBuffer(), outputHighWater: 1 << 20, owner: server)
        try client.pump.register()
        try server.pump.register()
        server.pump.scheduleFlush()  // the server's SETTINGS
        self.client = client
        self.server = server
    }

    /// Runs `body` on the loop thread and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable (PumpPair) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            loop.execute { continuation.resume(with: Result { try body(self) }) }
        }
    }

    /// Polls `condition` on the loop until it holds or 10 s pass; whether it held.
    func eventually(_ condition: @escaping @Sendable (PumpPair) -> Bool) async throws -> Bool {
        for _ in 0..<5000 {
            if try await run(condition) { return true }
            try await Task.sleep(for: .milliseconds(2))
        }
        return false
    }

    func stop() async throws {
        try await run { pair in
            pair.client.pump.close()
            pair.server.pump.close()
        }
        loop.stop()
        loop.join()
    }

    /// Submits a POST whose body is `bodySize` bytes on the client session.
    func sendRequest(bodySize: Int) throws {
        let session = client.pump.session
        let stream = try session.submitRequest(
            headers: [
                HeaderField(":method", "POST"), HeaderField(":scheme", "http"),
                HeaderField(":path", "/pump.Test/Echo"), HeaderField(":authority", "localhost"),
            ],
            endStream: false)
        session.sendData(stream: stream, bytes: [UInt8](repeating: 7, count: bodySize), endStream: true)
    }
}

@Suite struct ConnectionPumpTests {
    @Test func connectsAndMovesARequestBothWays() async throws {
        let pair = try await PumpPair()
        #expect(try await pair.eventually { $0.client.established && $0.server.pump.receivedBytes >= 24 })
        try await pair.run { try $0.sendRequest(bodySize: 1000); $0.client.pump.scheduleFlush() }
        #expect(try await pair.eventually { $0.server.endStreams == 1 })
        let seen = try await pair.run { ($0.server.headerBlocks, $0.server.dataBytes, $0.client.failures, $0.server.failures) }
        #expect(seen.0 == 1)
        #expect(seen.1 == 1000)
        #expect(seen.2.isEmpty && seen.3.isEmpty)
        try await pair.stop()
    }

    @Test func partialWritesKeepTheRestQueuedUntilTheSocketTakesIt() async throws {
        let pair = try await PumpPair(sendBuffer: 4096)
        #expect(try await pair.eventually { $0.client.established })
        let body = 3 << 20
        let writtenAtOnce = try await pair.run { pair in
            try pair.sendRequest(bodySize: body)
            pair.client.pump.flush()
            return pair.client.pump.isOutputWritten
        }
        #expect(!writtenAtOnce, "a 3 MB body cannot fit a 4 KB socket buffer")
        #expect(try await pair.eventually { $0.server.endStreams == 1 && $0.client.pump.isOutputWritten })
        let received = try await pair.run { ($0.server.dataBytes, $0.client.failures) }
        #expect(received.0 == body)
        #expect(received.1.isEmpty)
        try await pair.stop()
    }

    @Test func peerCloseIsReportedOnce() async throws {
        let pair = try await PumpPair()
        #expect(try await pair.eventually { $0.client.established && $0.server.pump.receivedBytes >= 24 })
        try await pair.run { $0.server.pump.close() }
        #expect(try await pair.eventually { $0.client.pump.isClosed })
        let failures = try await pair.run { ($0.client.failures, $0.server.failures) }
        #expect(failures.0 == ["peerClosed"])
        #expect(failures.1.isEmpty, "closing is the owner's act, not a failure")
        try await pair.stop()
    }

    @Test func aClosedPumpIgnoresReadinessAndFlushes() async throws {
        let pair = try await PumpPair()
        #expect(try await pair.eventually { $0.client.established && $0.server.pump.receivedBytes >= 24 })
        let after = try await pair.run { pair in
            let server = pair.server.pump!
            let before = (pair.server.flushes, server.receivedBytes)
            server.close()
            server.onReadable()
            server.onWritable()
            server.flush()
            server.scheduleFlush()
            server.discardPendingInput()
            return (pair.server.flushes == before.0, server.receivedBytes == before.1, pair.server.failures)
        }
        #expect(after.0 && after.1)
        #expect(after.2.isEmpty)
        try await pair.stop()
    }

    @Test func aRegisteredPumpKeepsItsOwnerUntilClosed() async throws {
        let pair = try await PumpPair()
        let released = try await pair.run { pair -> (Bool, Bool) in
            var fds: [Int32] = [-1, -1]
            let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
            guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { throw SystemCallError(call: "socketpair", errno: errno) }
            defer { Glibc.close(fds[1]) }
            var owner: RecordingPumpOwner? = RecordingPumpOwner()
            weak let weakOwner = owner
            let pump = ConnectionPump(
                fd: fds[0], loop: pair.loop, session: try HTTP2Session(role: .server), tls: nil,
                readBuffer: ConnectionReadBuffer(), outputHighWater: 1 << 20, owner: owner!)
            try pump.register()
            owner = nil
            let keptWhileOpen = weakOwner != nil
            pump.close()
            return (keptWhileOpen, weakOwner == nil)
        }
        #expect(released.0, "the pump holds its owner while the socket is registered")
        #expect(released.1, "close lets go of the owner")
        try await pair.stop()
    }

    @Test func tlsHandshakeThenCloseNotify() async throws {
        let pair = try await PumpPair(tls: true)
        #expect(try await pair.eventually { $0.client.established && $0.server.established })
        #expect(try await pair.eventually { $0.server.pump.receivedBytes >= 24 })
        try await pair.run { try $0.sendRequest(bodySize: 5000); $0.client.pump.scheduleFlush() }
        #expect(try await pair.eventually { $0.server.dataBytes == 5000 })
        try await pair.run { $0.client.pump.sendCloseNotify() }
        #expect(try await pair.eventually { $0.server.failures == ["closeNotify"] })
        #expect(try await pair.run { !$0.server.pump.isClosed }, "close_notify leaves closing to the owner")
        try await pair.stop()
    }

    @Test func aFailedHandshakeSendsTheAlert() async throws {
        let pair = try await PumpPair(tls: true, clientALPN: ["http/1.1"])
        #expect(try await pair.eventually { $0.server.pump.isClosed && $0.client.pump.isClosed })
        let failures = try await pair.run { ($0.client.failures, $0.server.failures, $0.client.established) }
        #expect(failures.1 == ["tlsFailed"])
        #expect(failures.0 == ["tlsFailed"], "the client read the server's alert, not just the close")
        #expect(!failures.2)
        try await pair.stop()
    }
}
