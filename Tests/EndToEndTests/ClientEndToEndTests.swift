import GRPCTransport
import Posix
import RPC
import Synchronization
import Testing

/// Our client against our server over loopback sockets: every call kind, metadata, status,
/// compression, deadlines, cancellation, flow control, connection loss and reconnection.
@Suite(.serialized)
struct ClientEndToEndTests {
    private func router(_ service: EchoService = EchoService()) -> Router {
        var router = Router()
        router.register(service)
        return router
    }

    @Test(arguments: Transport.allCases)
    func unaryCarriesMessageAndMetadataBothWays(transport: Transport) async throws {
        try await withServer(transport, router: router()) { _, channel in
            var metadata = Metadata()
            metadata.add("x-in", "hello")
            metadata.add("x-trailer-bin", binary: [0, 0xff, 0x10])
            let reply = try await channel.unary(path: EchoService.path("Unary"), request: [1, 2, 3], metadata: metadata)
            #expect(reply.message == [1, 2, 3])
            #expect(reply.initialMetadata.first("x-out") == "hello")
            #expect(reply.trailingMetadata.firstBinary("x-trailer-bin") == [0, 0xff, 0x10])
            #expect(!reply.messageWasCompressed)
            let empty = try await channel.unary(path: EchoService.path("Unary"), request: [])
            #expect(empty.message == [])
        }
    }

    @Test(arguments: Transport.allCases)
    func serverStatusMessageAndTrailersReachTheCaller(transport: Transport) async throws {
        try await withServer(transport, router: router()) { _, channel in
            let error = await #expect(throws: RPCError.self) {
                try await channel.unary(path: EchoService.path("Fail"), request: [])
            }
            #expect(error?.code == .notFound)
            #expect(error?.message == "nothing here \u{263A}\n(really)")
            #expect(error?.metadata.firstBinary("x-detail-bin") == [0, 1, 2, 255])
        }
    }

    @Test func unknownMethodsAreUnimplemented() async throws {
        try await withServer(.h2c, router: router()) { _, channel in
            let error = await #expect(throws: RPCError.self) {
                try await channel.unary(path: "/test.Echo/Nope", request: [])
            }
            #expect(error?.code == .unimplemented)
        }
    }

    @Test func gzipRequestAndResponse() async throws {
        try await withServer(.h2c, router: router()) { _, channel in
            let message = [UInt8](repeating: 42, count: 100_000)
            let reply = try await channel.unary(path: EchoService.path("Unary"), request: message, compression: .gzip)
            #expect(reply.message == message)
            #expect(reply.messageWasCompressed)
            #expect(reply.initialMetadata.first("x-was-compressed") == "yes")

            let call = channel.makeCall(path: EchoService.path("Echo"), compression: .gzip)
            try await call.send([1, 1, 1, 1], compress: true)
            try await call.send([2, 2], compress: false)
            call.closeSend()
            #expect(try await call.receiveMessage() == ReceivedMessage(bytes: [1, 1, 1, 1], wasCompressed: true))
            #expect(try await call.receiveMessage() == ReceivedMessage(bytes: [2, 2], wasCompressed: false))
            #expect(try await call.receive() == nil)
        }
    }

    @Test(arguments: Transport.allCases)
    func bidirectionalStreamingInLockstep(transport: Transport) async throws {
        try await withServer(transport, router: router()) { _, channel in
            let call = channel.makeCall(path: EchoService.path("Echo"))
            for index in 0..<50 {
                let message = [UInt8](repeating: UInt8(index), count: index * 100)
                try await call.send(message)
                #expect(try await call.receive() == message)
            }
            call.closeSend()
            #expect(try await call.receive() == nil)
            #expect(await call.status == .ok)
            #expect(await call.trailingMetadata.first("x-count") == "50")
        }
    }

    @Test func emptyStreamEndsOK() async throws {
        try await withServer(.h2c, router: router()) { _, channel in
            let call = channel.makeCall(path: EchoService.path("Echo"))
            call.closeSend()
            let end = try await call.receive()
            #expect(end == nil)
            #expect(await call.trailingMetadata.first("x-count") == "0")
        }
    }

    @Test(arguments: Transport.allCases)
    func clientStreamingWithBackpressure(transport: Transport) async throws {
        // 20 MiB in 1 MiB messages: more than the HTTP/2 windows (1 MiB stream, 16 MiB connection),
        // so sends must wait for the server to read.
        try await withServer(transport, router: router()) { _, channel in
            let call = channel.makeCall(path: EchoService.path("Sum"))
            let chunk = [UInt8](repeating: 1, count: 1 << 20)
            for _ in 0..<20 { try await call.send(chunk) }
            call.closeSend()
            let total = try #require(try await call.receive())
            #expect(total == [0, 0, 0, 0, 0x01, 0x40, 0, 0])
            #expect(try await call.receive() == nil)
        }
    }

    @Test func concurrentSendersOnOneCall() async throws {
        try await withServer(.h2c, router: router()) { _, channel in
            let call = channel.makeCall(path: EchoService.path("Sum"))
            let chunk = [UInt8](repeating: 1, count: 256 * 1024)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask { for _ in 0..<10 { try await call.send(chunk) } }
                }
                try await group.waitForAll()
            }
            call.closeSend()
            #expect(try await call.receive() == [0, 0, 0, 0, 0, 0xa0, 0, 0])  // 40 × 256 KiB
        }
    }

    @Test(arguments: Transport.allCases)
    func serverStreamingToASlowReader(transport: Transport) async throws {
        // 20 MiB of responses, read one at a time with pauses: the receive window must reopen.
        try await withServer(transport, router: router()) { _, channel in
            let call = channel.makeCall(path: EchoService.path("Produce"))
            try await call.send([20])
            call.closeSend()
            var count = 0
            while let message = try await call.receive() {
                #expect(message.count == 1 << 20)
                count += 1
                if count % 5 == 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(count == 20)
        }
    }

    @Test func manyConcurrentCallsShareOneConnection() async throws {
        try await withServer(.h2c, router: router()) { _, channel in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<300 {
                    group.addTask {
                        let request = [UInt8(index % 256), UInt8(index / 256)]
                        return try await channel.unary(path: EchoService.path("Unary"), request: request).message == request
                    }
                }
                var matched = 0
                for try await ok in group where ok { matched += 1 }
                #expect(matched == 300)
            }
        }
    }

    @Test(arguments: Transport.allCases)
    func deadlineEndsTheCallAndCancelsTheHandler(transport: Transport) async throws {
        let service = EchoService()
        try await withServer(transport, router: router(service)) { _, channel in
            let call = channel.makeCall(path: EchoService.path("Hang"), timeout: .milliseconds(200))
            try await call.send([1])
            // Either side's deadline may fire first (the server enforces grpc-timeout too).
            let error = await #expect(throws: RPCError.self) { try await call.receive() }
            #expect(error?.code == .deadlineExceeded)
            #expect(await call.status.code == .deadlineExceeded)
            #expect(try await eventually { service.cancelledHangs.count == 1 })
            // The connection is still good.
            #expect(try await channel.unary(path: EchoService.path("Unary"), request: [5]).message == [5])
        }
    }

    @Test func deadlineIsEnforcedLocallyWhenTheServerIsSilent() async throws {
        // A socket that listens but never answers: only the client's own timer can end the call.
        let listener = try Socket.listenTCP(host: "127.0.0.1", port: 0)
        defer { Socket.close(listener) }
        let channel = try GRPCChannel(configuration: ChannelConfiguration(host: "127.0.0.1", port: try Socket.boundPort(listener)))
        defer { channel.close() }
        let error = await #expect(throws: RPCError.self) {
            try await channel.unary(path: EchoService.path("Unary"), request: [1], timeout: .milliseconds(100))
        }
        #expect(error?.code == .deadlineExceeded)
        let call = channel.makeCall(path: EchoService.path("Echo"), timeout: .milliseconds(100))
        #expect(await call.status.code == .deadlineExceeded)
    }

    @Test func unaryDeadline() async throws {
        try await withServer(.h2c, router: router()) { _, channel in
            let error = await #expect(throws: RPCError.self) {
                try await channel.unary(path: EchoService.path("Hang"), request: [], timeout: .milliseconds(100))
            }
            #expect(error?.code == .deadlineExceeded)
        }
    }

    @Test(arguments: Transport.allCases)
    func cancelResetsTheStream(transport: Transport) async throws {
        let service = EchoService()
        try await withServer(transport, router: router(service)) { _, channel in
            let call = channel.makeCall(path: EchoService.path("Hang"))
            try await call.send([1])
            try await Task.sleep(for: .milliseconds(50))
            call.cancel()
            #expect(await call.status.code == .cancelled)
            await #expect(throws: RPCError.self) { try await call.receive() }
            await #expect(throws: RPCError.self) { try await call.send([2]) }
            #expect(try await eventually { service.cancelledHangs.count == 1 })
        }
    }

    @Test func cancellingTheWaitingTaskCancelsTheCall() async throws {
        try await withServer(.h2c, router: router()) { _, channel in
            let call = channel.makeCall(path: EchoService.path("Hang"))
            let reader = Task { try await call.receive() }
            try await Task.sleep(for: .milliseconds(50))
            reader.cancel()
            await #expect(throws: RPCError.self) { try await reader.value }
            #expect(await call.status.code == .cancelled)
        }
    }

    @Test func invalidMetadataFailsBeforeSending() async throws {
        try await withServer(.h2c, router: router()) { _, channel in
            var metadata = Metadata()
            metadata.add("x-bad", "line\nbreak")
            let error = await #expect(throws: RPCError.self) {
                try await channel.unary(path: EchoService.path("Unary"), request: [], metadata: metadata)
            }
            #expect(error?.code == .internal)
            #expect(error?.message.contains("x-bad") == true)
        }
    }

    @Test func noServerIsUnavailable() async throws {
        let server = try TestServer.start(.h2c, router: router())
        let port = server.port
        server.stop()
        let channel = try GRPCChannel(configuration: ChannelConfiguration(host: "127.0.0.1", port: port))
        defer { channel.close() }
        let error = await #expect(throws: RPCError.self) {
            try await channel.unary(path: EchoService.path("Unary"), request: [])
        }
        #expect(error?.code == .unavailable)
    }

    @Test func reconnectsAfterTheServerComesBack() async throws {
        let first = try TestServer.start(.h2c, router: router())
        let port = first.port
        let channel = try first.makeChannel()
        defer { channel.close() }
        #expect(try await channel.unary(path: EchoService.path("Unary"), request: [1]).message == [1])
        first.stop()
        let error = await #expect(throws: RPCError.self) {
            try await channel.unary(path: EchoService.path("Unary"), request: [2])
        }
        #expect(error?.code == .unavailable)
        let second = try TestServer.start(.h2c, router: router(), port: port)
        defer { second.stop() }
        #expect(try await channel.unary(path: EchoService.path("Unary"), request: [3]).message == [3])
    }

    @Test func tlsRejectsTheWrongServerName() async throws {
        let server = try TestServer.start(.tls, router: router())
        defer { server.stop() }
        let channel = try server.makeChannel(serverNameOverride: "not-the-server.example")
        defer { channel.close() }
        let error = await #expect(throws: RPCError.self) {
            try await channel.unary(path: EchoService.path("Unary"), request: [])
        }
        #expect(error?.code == .unavailable)
    }

    @Test func plaintextClientAgainstTLSServerFails() async throws {
        let server = try TestServer.start(.tls, router: router())
        defer { server.stop() }
        let channel = try GRPCChannel(configuration: ChannelConfiguration(host: "127.0.0.1", port: server.port, connectTimeout: .seconds(5)))
        defer { channel.close() }
        let error = await #expect(throws: RPCError.self) {
            try await channel.unary(path: EchoService.path("Unary"), request: [], timeout: .seconds(5))
        }
        #expect(error?.code == .unavailable || error?.code == .deadlineExceeded)
    }

    @Test func mutualTLS() async throws {
        let server = try TestServer.start(.tls, router: router(), requireClientCertificate: true)
        defer { server.stop() }
        let certificates = try TestCertificates.shared()

        var withCertificate = try server.channelConfiguration()
        withCertificate.tls?.certificateFile = certificates.clientCertificate
        withCertificate.tls?.privateKeyFile = certificates.clientKey
        let channel = try GRPCChannel(configuration: withCertificate)
        defer { channel.close() }
        let subject = try await channel.unary(path: EchoService.path("Peer"), request: []).message
        #expect(String(decoding: subject, as: UTF8.self).contains("CN="))

        let anonymous = try server.makeChannel()
        defer { anonymous.close() }
        let error = await #expect(throws: RPCError.self) {
            try await anonymous.unary(path: EchoService.path("Unary"), request: [], timeout: .seconds(10))
        }
        #expect(error?.code == .unavailable)
    }

    @Test func gracefulShutdownLetsTheOpenCallFinish() async throws {
        let server = try TestServer.start(.h2c, router: router()) { $0.drainTimeout = .seconds(20) }
        let channel = try server.makeChannel()
        defer { channel.close() }
        let call = channel.makeCall(path: EchoService.path("Echo"))
        try await call.send([1])
        #expect(try await call.receive() == [1])

        // shutdown() blocks until the open call is done: run it on its own thread.
        let stopped = Task.detached { server.stop() }
        try await Task.sleep(for: .milliseconds(100))  // let the GOAWAY arrive
        try await call.send([2])
        #expect(try await call.receive() == [2])
        call.closeSend()
        #expect(try await call.receive() == nil)
        await stopped.value

        let error = await #expect(throws: RPCError.self) {
            try await channel.unary(path: EchoService.path("Unary"), request: [])
        }
        #expect(error?.code == .unavailable)
    }
}
