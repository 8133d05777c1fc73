import Foundation
import GRPCTransport
import RPC
import Synchronization

/// Counters the test handlers update, read by tests (thread-safe).
final class HandlerProbe: Sendable {
    let cancelled = Atomic<Int>(0)
    let floodSent = Atomic<Int>(0)
    let started = Atomic<Int>(0)
    /// Calls of /test.Echo/Admitted's admission, and of its handler.
    let admissions = Atomic<Int>(0)
    let admittedCalls = Atomic<Int>(0)
    /// Runs of /test.Echo/Offload on the loop, and off it.
    let onLoopRuns = Atomic<Int>(0)
    let offLoopRuns = Atomic<Int>(0)
}

/// A GRPCServer on 127.0.0.1:0 with small test handlers under `/test.Echo/…`.
final class TestServer {
    let server: GRPCServer
    let probe: HandlerProbe
    var port: Int { server.addresses[0].port }

    init(configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var configuration = ServerConfiguration()
        configuration.plaintext = ("127.0.0.1", 0)
        configuration.threads = 1
        // A loaded parallel test run can keep a test's task from pumping its client for a long
        // time; the server's timers that expect an answer are off unless a test sets them.
        configuration.keepaliveTime = .seconds(3600)
        // `deinit` shuts the server down, on whatever thread releases it last: possibly a test's
        // task in the middle of a call whose client that same task pumps. A graceful drain would
        // wait for that call; keep it short unless a test is about the drain.
        configuration.drainTimeout = .milliseconds(200)
        configure(&configuration)
        let probe = HandlerProbe()
        self.probe = probe
        self.server = try GRPCServer(configuration: configuration, router: Self.router(probe))
    }

    deinit { server.shutdown() }

    static func router(_ probe: HandlerProbe) -> Router {
        var router = Router()
        router.register(MethodPath(service: "test.Echo", method: "Unary"), .unary { request, context in
            for entry in context.requestMetadata where entry.name.hasPrefix("x-echo") {
                context.responseMetadata.add(entry)
                context.trailingMetadata.add(entry)
            }
            context.compressResponse = context.requestMetadata.first("x-compress") == "yes"
            return request
        })
        // Only callers with `x-key: open-sesame` get in; the admission's value reaches the handler.
        router.register(
            MethodPath(service: "test.Echo", method: "Admitted"),
            .unary { request, context in
                probe.admittedCalls.add(1, ordering: .relaxed)
                guard context.info.admission as? String == "admitted" else {
                    throw RPCError(.internal, "the admission's value did not reach the handler")
                }
                return request
            },
            admission: { info in
                probe.admissions.add(1, ordering: .relaxed)
                guard info.requestMetadata.first("x-key") == "open-sesame" else {
                    throw RPCError(.unauthenticated, "missing or wrong x-key")
                }
                return "admitted"
            })
        // Needs to block: asks to run off the loop, then (x-sleep-ms) sleeps there and answers.
        router.register(MethodPath(service: "test.Echo", method: "Offload"), .unary { request, context in
            if context.isOnEventLoop {
                probe.onLoopRuns.add(1, ordering: .relaxed)
                try context.requireOffEventLoop()
            }
            probe.offLoopRuns.add(1, ordering: .relaxed)
            if let ms = context.requestMetadata.first("x-sleep-ms").flatMap({ Int($0) }) {
                Thread.sleep(forTimeInterval: Double(ms) / 1000)
            }
            return Array("off-loop:".utf8) + request
        })
        router.register(MethodPath(service: "test.Echo", method: "Fail"), .unary { _, _ in
            throw RPCError(.invalidArgument, "bad input: 100% wrong ✗", metadata: ["x-why": "because"])
        })
        router.register(MethodPath(service: "test.Echo", method: "Stream"), .streaming { call in
            for try await message in call.requests {
                try await call.responses.send(message.bytes)
            }
            return ["x-done": "yes"]
        })
        router.register(MethodPath(service: "test.Echo", method: "Slow"), .streaming { call in
            probe.started.add(1, ordering: .relaxed)
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                probe.cancelled.add(1, ordering: .relaxed)
                throw error
            }
            return [:]
        })
        router.register(MethodPath(service: "test.Echo", method: "Flood"), .streaming { call in
            let chunk = [UInt8](repeating: 0xAB, count: 64 * 1024)
            do {
                for _ in 0..<200 {
                    try await call.responses.send(chunk)
                    probe.floodSent.add(1, ordering: .relaxed)
                }
            } catch {
                probe.cancelled.add(1, ordering: .relaxed)
                throw error
            }
            return [:]
        })
        return router
    }
}

