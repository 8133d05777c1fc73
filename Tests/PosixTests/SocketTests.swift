import Testing
@testable import Posix

@Suite struct SocketTests {
    @Test func listenOnPortZeroReportsTheBoundPortAndAddress() throws {
        let fd = try Socket.listenTCP(host: "127.0.0.1", port: 0)
        defer { Socket.close(fd) }
        let port = try Socket.boundPort(fd)
        #expect(port > 0)
        #expect(Socket.localAddress(fd) == "127.0.0.1:\(port)")
    }

    @Test func localhostListensOnIPv4() throws {
        let fd = try Socket.listenTCP(host: "localhost", port: 0)
        defer { Socket.close(fd) }
        #expect(Socket.localAddress(fd).hasPrefix("127.0.0.1:"))
    }

    @Test func secondBindWithoutReusePortFailsWithACallName() throws {
        let fd = try Socket.listenTCP(host: "127.0.0.1", port: 0)
        defer { Socket.close(fd) }
        let port = try Socket.boundPort(fd)
        let error = try #require(throws: SystemCallError.self) { try Socket.listenTCP(host: "127.0.0.1", port: port) }
        #expect(error.description == "bind(127.0.0.1:\(port)): Address already in use")
    }

    @Test func reusePortAllowsTwoListeners() throws {
        let first = try Socket.listenTCP(host: "127.0.0.1", port: 0, reusePort: true)
        defer { Socket.close(first) }
        let second = try Socket.listenTCP(host: "127.0.0.1", port: try Socket.boundPort(first), reusePort: true)
        Socket.close(second)
    }

    @Test func acceptWithNothingPendingIsNil() throws {
        let fd = try Socket.listenTCP(host: "127.0.0.1", port: 0)
        defer { Socket.close(fd) }
        #expect(try Socket.accept(fd) == nil)
    }

    @Test func connectAcceptAndTransferBytesWithoutAnEventLoop() throws {
        let listener = try Socket.listenTCP(host: "127.0.0.1", port: 0)
        defer { Socket.close(listener) }
        let client = try Socket.connectTCP(host: "127.0.0.1", port: try Socket.boundPort(listener))
        defer { Socket.close(client) }
        Socket.setNoDelay(client)
        let (server, peer) = try #require(try spin { try Socket.accept(listener) })
        defer { Socket.close(server) }
        #expect(peer == Socket.localAddress(client))
        #expect(Socket.peerAddress(server) == peer)
        #expect(Socket.connectError(client) == nil)

        #expect(try Socket.write(client, [1, 2, 3][...]) == .bytes(3))
        #expect(try Socket.write(client, [[4, 5][...], [][...], [6][...]]) == .bytes(3))
        var received: [UInt8] = [9]
        while received.count < 7 {
            switch try Socket.read(server, into: &received, max: 64) {
            case .bytes, .wouldBlock: continue
            case .closed: Issue.record("unexpected EOF"); return
            }
        }
        #expect(received == [9, 1, 2, 3, 4, 5, 6])

        var fixed = [UInt8](repeating: 0, count: 8)
        #expect(try Socket.read(server, into: &fixed, range: 0..<8) == .wouldBlock)
        Socket.shutdownWrite(client)
        #expect(try spin { try Socket.read(server, into: &fixed, range: 0..<8) == .closed ? true : nil } == true)
    }

    @Test func ipv6LoopbackWorks() throws {
        let listener: Int32
        do {
            listener = try Socket.listenTCP(host: "::1", port: 0)
        } catch {
            return  // no IPv6 on this machine
        }
        defer { Socket.close(listener) }
        let port = try Socket.boundPort(listener)
        #expect(Socket.localAddress(listener) == "[::1]:\(port)")
        let client = try Socket.connectTCP(host: "[::1]", port: port)
        defer { Socket.close(client) }
        let (server, peer) = try #require(try spin { try Socket.accept(listener) })
        Socket.close(server)
        #expect(peer.hasPrefix("[::1]:"))
    }

    @Test func connectionRefusedIsReportedBySOError() throws {
        // Find a free port, then close it so nothing listens there.
        let probe = try Socket.listenTCP(host: "127.0.0.1", port: 0)
        let port = try Socket.boundPort(probe)
        Socket.close(probe)
        let fd: Int32
        do {
            fd = try Socket.connectTCP(host: "127.0.0.1", port: port)
        } catch {
            #expect(error.errno == 111)  // refused at once: also fine
            return
        }
        defer { Socket.close(fd) }
        let error = try #require(try spin { Socket.connectError(fd) })
        #expect(error.description == "connect: Connection refused")
        _ = error
    }

    @Test func writeToAClosedPeerFailsWithoutSIGPIPE() throws {
        let listener = try Socket.listenTCP(host: "127.0.0.1", port: 0)
        defer { Socket.close(listener) }
        let client = try Socket.connectTCP(host: "127.0.0.1", port: try Socket.boundPort(listener))
        defer { Socket.close(client) }
        let (server, _) = try #require(try spin { try Socket.accept(listener) })
        Socket.close(server)
        let payload = [UInt8](repeating: 1, count: 65536)
        let error = try #require(throws: SystemCallError.self) {
            for _ in 0..<1000 { _ = try Socket.write(client, payload[...]) }
        }
        #expect(error.isConnectionLoss)
    }

    /// Retries a non-blocking step until it gives a value (loopback is fast; bounded anyway).
    func spin<T>(_ body: () throws -> T?) throws -> T? {
        for _ in 0..<2_000_000 {
            if let value = try body() { return value }
        }
        return nil
    }
}
