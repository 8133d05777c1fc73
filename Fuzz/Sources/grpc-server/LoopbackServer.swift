import Glibc
import GRPCTransport
import InteropService
import Posix
import RPC

/// The real server, `GRPCServer` with one event loop, serving grpc.testing.TestService and
/// grpc.health.v1.Health on 127.0.0.1 (an ephemeral port). Every input is one TCP connection:
/// the bytes are written as a client would, the write side is closed, and everything the server
/// sends is read until it closes the connection (or `patience` passes: then the harness closes).
enum LoopbackServer {
    /// Started once, for the whole run.
    static let port: Int = {
        var configuration = ServerConfiguration()
        configuration.plaintext = ("127.0.0.1", 0)
        configuration.threads = 1
        // Small enough for inputs to reach the limits; the checks are the same as at the defaults.
        configuration.maxReceiveMessageSize = 64 * 1024
        configuration.maxHeaderListSize = 16 * 1024
        configuration.initialWindowSize = 64 * 1024
        configuration.handshakeTimeout = .seconds(2)
        configuration.requestTimeout = .seconds(2)
        var router = Router()
        router.register(TestService())
        router.register(HealthService(registry: HealthStatusRegistry()))
        do {
            server = try GRPCServer(configuration: configuration, router: router)
        } catch {
            fatalError("the fuzz target's server did not start: \(error)")
        }
        return server!.addresses[0].port
    }()

    nonisolated(unsafe) private static var server: GRPCServer? = nil

    /// How long one connection may stay open after the input was written.
    static let patience: Int64 = 2_000_000_000

    /// Sends `bytes` on a new connection and waits for the server to close it.
    static func exchange(_ bytes: ArraySlice<UInt8>) {
        let fd: Int32
        do {
            fd = try Socket.connectTCP(host: "127.0.0.1", port: port)
        } catch {
            fatalError("cannot connect to the fuzz target's server: \(error)")
        }
        defer { Socket.close(fd) }
        let deadline = monotonicNanoseconds() + UInt64(patience)
        guard wait(fd, for: Int16(POLLOUT), until: deadline) else { return }
        if let error = Socket.connectError(fd) { fatalError("connect to the fuzz target's server failed: \(error)") }
        var offset = bytes.startIndex
        var sink = [UInt8](repeating: 0, count: 64 * 1024)
        var writing = true
        while monotonicNanoseconds() < deadline {
            if writing && offset == bytes.endIndex {
                Socket.shutdownWrite(fd)
                writing = false
            }
            let events = writing ? Int16(POLLIN | POLLOUT) : Int16(POLLIN)
            guard let ready = poll(fd, events, until: deadline) else { return }
            if ready & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                // Drain what the server sent (so it is never blocked on a full socket).
                switch try? Socket.read(fd, into: &sink, range: 0..<sink.count) {
                case .bytes?, .wouldBlock?: break
                case .closed?, nil: return
                }
            }
            if writing, ready & Int16(POLLOUT) != 0 {
                switch try? Socket.write(fd, bytes[offset...]) {
                case .bytes(let count)?: offset += count
                case .wouldBlock?: break
                case .closed?, nil: writing = false  // the server closed first: read what is left
                }
            }
        }
    }

    private static func wait(_ fd: Int32, for events: Int16, until deadline: UInt64) -> Bool {
        poll(fd, events, until: deadline) != nil
    }

    /// `poll(2)` on one socket: its ready events, nil when the deadline passed.
    private static func poll(_ fd: Int32, _ events: Int16, until deadline: UInt64) -> Int16? {
        while true {
            let now = monotonicNanoseconds()
            guard now < deadline else { return nil }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let milliseconds = Int32(min((deadline - now) / 1_000_000 + 1, 1000))
            let result = Glibc.poll(&entry, 1, milliseconds)
            if result > 0 { return entry.revents }
            if result < 0 && errno != EINTR { return nil }
        }
    }
}
