import Messages
import RPC
import Synchronization

/// A `StreamConversations` call driven by a test: requests go in through the source, responses
/// are decoded as the handler writes them.
final class StreamHarness {
    let source: RequestStream.Source
    let writer = CollectingWriter()
    let task: Task<Metadata, any Error>
    private var iterator: AsyncStream<[UInt8]>.Iterator

    init(handler: @escaping StreamingHandler, info: ServerCallInfo) {
        let (requests, source) = RequestStream.makeStream()
        self.source = source
        let writer = writer
        iterator = writer.messages.makeAsyncIterator()
        task = Task {
            defer { writer.finish() }
            return try await handler(StreamingCall(info: info, requests: requests, responses: writer))
        }
    }

    func send(_ kind: StreamConversationsRequest.Kind) {
        source.yield(ReceivedMessage(bytes: StreamConversationsRequest(kind: kind).serializedBytes()))
    }

    func sendRaw(_ bytes: [UInt8]) {
        source.yield(ReceivedMessage(bytes: bytes))
    }

    func message(_ id: String, _ text: String) {
        send(.message(BuyerMessage(messageID: id, conversationID: "conv-\(id)", text: text)))
    }

    /// The next response, or nil once the handler ended and everything it wrote was read.
    func next() async throws -> StreamConversationsResponse.Kind? {
        guard let bytes = await iterator.next() else { return nil }
        return try StreamConversationsResponse(serializedBytes: bytes).kind
    }

    /// Reads `count` responses.
    func next(_ count: Int) async throws -> [StreamConversationsResponse.Kind] {
        var all: [StreamConversationsResponse.Kind] = []
        while all.count < count, let kind = try await next() { all.append(kind) }
        return all
    }

    /// Half-closes and waits for the handler's outcome.
    func finish() async -> Result<Metadata, RPCError> {
        source.finish()
        return await outcome()
    }

    func outcome() async -> Result<Metadata, RPCError> {
        do {
            return .success(try await task.value)
        } catch {
            return .failure(RPCError(wrapping: error))
        }
    }
}

/// A `ResponseStreamWriter` that hands every message to the test, in order.
final class CollectingWriter: ResponseStreamWriter {
    let messages: AsyncStream<[UInt8]>
    private let continuation: AsyncStream<[UInt8]>.Continuation
    private let sent = Atomic<Int>(0)

    init() {
        (messages, continuation) = AsyncStream.makeStream()
    }

    var sentCount: Int { sent.load(ordering: .relaxed) }

    func sendInitialMetadata(_ metadata: Metadata) async throws {}

    func send(_ message: [UInt8], compress: Bool) async throws {
        try Task.checkCancellation()
        sent.add(1, ordering: .relaxed)
        continuation.yield(message)
    }

    func finish() { continuation.finish() }
}
