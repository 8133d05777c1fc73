import Messages
import RPC
import ReplyIntentService

/// The two services registered in a router, and calls through the router's handlers exactly as
/// the transport makes them (no sockets).
struct ServiceHarness {
    static let service = "/replyintent.v1.ReplyIntent/"
    static let admin = "/replyintent.v1.ReplyIntentAdmin/"

    let dependencies: ServiceDependencies
    let router: Router

    init(dependencies: ServiceDependencies) {
        self.dependencies = dependencies
        var router = Router()
        let service = ReplyIntentService(dependencies)
        router.register(service)
        router.register(service.admin)
        self.router = router
    }

    static func info(_ path: String, token: String?, certificateSubject: String? = nil) -> ServerCallInfo {
        var metadata = Metadata()
        if let token { metadata.add("authorization", "Bearer \(token)") }
        return ServerCallInfo(
            path: MethodPath(path: path)!, requestMetadata: metadata, deadline: nil, peer: "127.0.0.1:1",
            peerCertificateSubject: certificateSubject)
    }

    /// Calls a `.unary` handler with raw request bytes.
    func unary(_ path: String, bytes: [UInt8], token: String?) throws -> [UInt8] {
        guard case .success(.unary(let handler)) = router.resolve(path).map(\.handler) else {
            throw RPCError(.internal, "test: \(path) is not a unary method")
        }
        return try Self.run(handler, bytes, info: Self.info(path, token: token))
    }

    /// Runs a unary handler as the transport does: on the "loop" first, and again off it when
    /// the handler asks (``RunOffEventLoop``: a model to load, a tenant's files to read).
    static func run(_ handler: UnaryHandler, _ bytes: [UInt8], info: ServerCallInfo) throws -> [UInt8] {
        do {
            return try handler(bytes, UnaryContext(info: info, requestWasCompressed: false))
        } catch is RunOffEventLoop {
            return try handler(bytes, UnaryContext(info: info, requestWasCompressed: false, isOnEventLoop: false))
        }
    }

    /// Calls any method with one request message, as a unary client does: `.unary` handlers
    /// inline, `.streaming` ones with a one-message request stream; returns the one response.
    func invoke(_ path: String, bytes: [UInt8], token: String?) async throws -> [UInt8] {
        switch router.resolve(path).map(\.handler) {
        case .success(.unary(let handler)):
            return try Self.run(handler, bytes, info: Self.info(path, token: token))
        case .success(.streaming(let handler)):
            let (requests, source) = RequestStream.makeStream()
            source.yield(ReceivedMessage(bytes: bytes))
            source.finish()
            let writer = CollectingWriter()
            _ = try await handler(StreamingCall(info: Self.info(path, token: token), requests: requests, responses: writer))
            writer.finish()
            var responses = writer.messages.makeAsyncIterator()
            guard let response = await responses.next() else { throw RPCError(.internal, "test: no response") }
            return response
        case .failure(let error):
            throw error
        }
    }

    func invoke<Response: ProtobufMessage>(
        _ path: String, _ request: some ProtobufMessage, token: String?, as: Response.Type = Response.self
    ) async throws -> Response {
        try Response(serializedBytes: await invoke(path, bytes: request.serializedBytes(), token: token))
    }

    /// The error any call fails with (nil when it succeeds).
    func invocationFailure(_ path: String, bytes: [UInt8], token: String?) async -> RPCError? {
        do {
            _ = try await invoke(path, bytes: bytes, token: token)
            return nil
        } catch {
            return RPCError(wrapping: error)
        }
    }

    func call<Response: ProtobufMessage>(
        _ path: String, _ request: some ProtobufMessage, token: String?, as: Response.Type = Response.self
    ) throws -> Response {
        try Response(serializedBytes: unary(path, bytes: request.serializedBytes(), token: token))
    }

    /// The error a unary call fails with (nil when it succeeds).
    func failure(_ path: String, bytes: [UInt8], token: String?) -> RPCError? {
        do {
            _ = try unary(path, bytes: bytes, token: token)
            return nil
        } catch {
            return RPCError(wrapping: error)
        }
    }

    func failure(_ path: String, _ request: some ProtobufMessage, token: String?) -> RPCError? {
        failure(path, bytes: request.serializedBytes(), token: token)
    }

    func classify(_ text: String, token: String?, topK: UInt32 = 0, model: String = "", id: String = "m1") throws
        -> Classification
    {
        let request = ClassifyIntentRequest(
            message: BuyerMessage(messageID: id, conversationID: "c1", text: text), topK: topK, model: model)
        let response = try call(Self.service + "ClassifyIntent", request, token: token, as: ClassifyIntentResponse.self)
        guard let classification = response.classification else {
            throw RPCError(.internal, "test: response without classification")
        }
        return classification
    }

    /// Starts a `StreamConversations` call in a task.
    func stream(token: String?) -> StreamHarness {
        let path = Self.service + "StreamConversations"
        guard case .success(.streaming(let handler)) = router.resolve(path).map(\.handler) else {
            fatalError("StreamConversations is not a streaming method")
        }
        return StreamHarness(handler: handler, info: Self.info(path, token: token))
    }
}
