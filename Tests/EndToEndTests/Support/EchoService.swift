import RPC
import Synchronization

/// A small service for client tests, at `/test.Echo/*`:
/// - `Unary`: echoes the request; `x-in` comes back as initial `x-out`, `x-trailer-bin` as a
///   trailer; the response is compressed when the request was (and says so in `x-was-compressed`).
/// - `Peer`: answers the verified TLS client certificate subject (empty without one).
/// - `Fail`: fails with NOT_FOUND, a non-ASCII message and a binary trailer.
/// - `Echo`: streams every request message back, then ends with `x-count` in the trailers.
/// - `Sum`: answers one 8-byte big-endian total of all request bytes after the half-close.
/// - `Produce`: the request's first byte N → N messages of 1 MiB each.
/// - `Hang`: never answers; records when the transport cancels it.
struct EchoService: RPCService {
    /// Counts `Hang` handlers the transport cancelled.
    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func increment() { value.add(1, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }

    let cancelledHangs = Counter()

    static func path(_ method: String) -> String { "/test.Echo/\(method)" }

    func register(into router: inout Router) {
        func method(_ name: String) -> MethodPath { MethodPath(service: "test.Echo", method: name) }
        router.register(method("Unary"), .unary { request, context in
            if let value = context.requestMetadata.first("x-in") { context.responseMetadata.add("x-out", value) }
            if let bytes = context.requestMetadata.firstBinary("x-trailer-bin") {
                context.trailingMetadata.add("x-trailer-bin", binary: bytes)
            }
            context.responseMetadata.add("x-was-compressed", context.requestWasCompressed ? "yes" : "no")
            context.compressResponse = context.requestWasCompressed
            return request
        })
        router.register(method("Peer"), .unary { _, context in
            Array((context.info.peerCertificateSubject ?? "").utf8)
        })
        router.register(method("Fail"), .unary { _, _ in
            var trailers = Metadata()
            trailers.add("x-detail-bin", binary: [0, 1, 2, 255])
            throw RPCError(.notFound, "nothing here \u{263A}\n(really)", metadata: trailers)
        })
        router.register(method("Echo"), .streaming { call in
            var count = 0
            for try await message in call.requests {
                try await call.responses.send(message.bytes, compress: message.wasCompressed)
                count += 1
            }
            return ["x-count": "\(count)"]
        })
        router.register(method("Sum"), .streaming { call in
            var total: UInt64 = 0
            for try await message in call.requests { total += UInt64(message.bytes.count) }
            try await call.responses.send((0..<8).reversed().map { UInt8(truncatingIfNeeded: total >> ($0 * 8)) })
            return [:]
        })
        router.register(method("Produce"), .streaming { call in
            var iterator = call.requests.makeAsyncIterator()
            let count = Int(try await iterator.next()?.bytes.first ?? 0)
            let chunk = [UInt8](repeating: 7, count: 1 << 20)
            for _ in 0..<count { try await call.responses.send(chunk) }
            return [:]
        })
        let cancelledHangs = self.cancelledHangs
        router.register(method("Hang"), .streaming { call in
            do {
                try await Task.sleep(for: .seconds(120))
            } catch {
                cancelledHangs.increment()
                throw error
            }
            return [:]
        })
    }
}

/// Polls `condition` for up to 10 s (no timing assertion: only a bound against hanging).
func eventually(_ condition: () -> Bool) async throws -> Bool {
    for _ in 0..<1000 {
        if condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
