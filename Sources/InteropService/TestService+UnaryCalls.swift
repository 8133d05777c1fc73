internal import Messages
internal import RPC
internal import Synchronization

/// The synchronous methods: each decodes, checks, and encodes inline on the event loop.
extension TestService {
    /// `EmptyCall`: returns the empty message (and echoes metadata).
    static func emptyCall(_ request: [UInt8], _ context: UnaryContext) throws -> [UInt8] {
        _ = try RequestChecks.decode(Empty.self, request)
        EchoedMetadata(from: context.requestMetadata).apply(to: context)
        return []
    }

    /// `UnaryCall`: a payload of `response_size` zeros, with the interop features
    /// CompressedRequest, CompressedResponse, Echo Status and Echo Metadata.
    static func unaryCall(_ requestBytes: [UInt8], _ context: UnaryContext) throws -> [UInt8] {
        let request = try RequestChecks.decode(SimpleRequest.self, requestBytes)
        let echo = EchoedMetadata(from: context.requestMetadata)
        echo.apply(to: context)
        try RequestChecks.checkCompression(expected: request.expectCompressed, wasCompressed: context.requestWasCompressed)
        if let compressed = request.responseCompressed { context.compressResponse = compressed.value }
        try RequestChecks.checkPayloadRequest(type: request.responseType, size: request.responseSize)
        if let failure = echo.requestedFailure(request.responseStatus) { throw failure }
        // Like the C++ and Java servers: no payload field at all for a zero size.
        let payload = request.responseSize > 0 ? Payload.zeros(Int(request.responseSize)) : nil
        return SimpleResponse(payload: payload).serializedBytes()
    }

    /// `CacheableUnaryCall`: ignores the request's content and answers with a payload that differs
    /// on every call (a decimal timestamp) plus headers that let a caching proxy keep it for 60 s.
    static func cacheableUnaryCall(_ request: [UInt8], _ context: UnaryContext) throws -> [UInt8] {
        _ = try RequestChecks.decode(SimpleRequest.self, request)
        EchoedMetadata(from: context.requestMetadata).apply(to: context)
        context.responseMetadata.add("cache-control", "max-age=60, public")
        let stamp = CacheableTimestamp.next()
        return SimpleResponse(payload: Payload(body: Array(String(stamp).utf8))).serializedBytes()
    }
}

/// Nanoseconds since the service started, made strictly increasing across threads so that two
/// calls in the same nanosecond still get different payloads (all the spec asks of the value).
enum CacheableTimestamp {
    private static let start = ContinuousClock.now
    private static let last = Atomic<UInt64>(0)

    static func next() -> UInt64 {
        let origin = start  // first use initializes it: read it before `now`
        let elapsed = ContinuousClock.now - origin
        let now = UInt64(elapsed.components.seconds) * 1_000_000_000
            + UInt64(elapsed.components.attoseconds / 1_000_000_000)
        var previous = last.load(ordering: .relaxed)
        while true {
            let candidate = max(now, previous + 1)
            let (exchanged, original) = last.compareExchange(
                expected: previous, desired: candidate, ordering: .relaxed)
            if exchanged { return candidate }
            previous = original
        }
    }
}
