import InteropService
import RPC
import Testing

/// Calls handlers the way the transport does: resolve the path in a `Router`, then run the
/// `.unary` closure inline or the `.streaming` one with a request stream and a recording writer.
struct Harness {
    var router = Router()

    init(registry: HealthStatusRegistry = HealthStatusRegistry()) {
        router.register(TestService())
        router.register(HealthService(registry: registry))
    }

    static func info(_ path: String, metadata: Metadata = [:]) -> ServerCallInfo {
        ServerCallInfo(path: MethodPath(path: path)!, requestMetadata: metadata, deadline: nil, peer: "127.0.0.1:1")
    }

    func unary(_ path: String) throws -> UnaryHandler {
        guard case .unary(let handler) = try router.resolve(path).map(\.handler).get() else {
            throw RPCError(.internal, "\(path) is not a unary handler")
        }
        return handler
    }

    func streaming(_ path: String) throws -> StreamingHandler {
        guard case .streaming(let handler) = try router.resolve(path).map(\.handler).get() else {
            throw RPCError(.internal, "\(path) is not a streaming handler")
        }
        return handler
    }

    /// Runs a unary call; returns the response bytes and the context the handler filled in.
    func callUnary(
        _ path: String, _ request: [UInt8], metadata: Metadata = [:], compressed: Bool = false
    ) throws -> (response: [UInt8], context: UnaryContext) {
        let context = UnaryContext(info: Self.info(path, metadata: metadata), requestWasCompressed: compressed)
        let response = try unary(path)(request, context)
        return (response, context)
    }

    /// Starts a streaming call in its own task; the test feeds `source` and watches `writer`.
    func start(
        _ path: String, metadata: Metadata = [:]
    ) throws -> (source: RequestStream.Source, writer: RecordingWriter, task: Task<Metadata, any Error>) {
        let handler = try streaming(path)
        let (stream, source) = RequestStream.makeStream()
        let writer = RecordingWriter()
        let call = StreamingCall(info: Self.info(path, metadata: metadata), requests: stream, responses: writer)
        return (source, writer, Task { try await handler(call) })
    }

    /// Runs a streaming call whose requests are all known up front (then half-closed).
    func callStreaming(
        _ path: String, _ requests: [ReceivedMessage], metadata: Metadata = [:]
    ) async throws -> (trailers: Metadata, writer: RecordingWriter) {
        let (source, writer, task) = try start(path, metadata: metadata)
        for request in requests { source.yield(request) }
        source.finish()
        return (try await task.value, writer)
    }
}

/// Expects `body` to throw an `RPCError` with `code`; returns it for further checks.
@discardableResult
func expectRPCError(
    _ code: Status.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> RPCError? {
    do {
        try await body()
        Issue.record("expected \(code), the call succeeded", sourceLocation: sourceLocation)
    } catch let error as RPCError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected RPCError \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
