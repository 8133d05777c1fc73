public import RPC
internal import Posix

/// One call on a ``GRPCChannel``, for streaming in either direction.
///
/// Send requests with ``send(_:compress:)`` (suspends while HTTP/2 flow control holds the
/// stream back), end them with ``closeSend()``, and read responses with ``receive()`` until it
/// returns nil (status OK) or throws ``RPCError`` (any other status). ``cancel()`` resets the
/// stream (RST_STREAM CANCEL) and ends the call with `CANCELLED`. Thread-safe.
public final class ClientCall: Sendable {
    /// The method, such as `/grpc.testing.TestService/FullDuplexCall`.
    public let path: String
    let channel: GRPCChannel
    let framer: MessageFramer
    private let stream: ClientStream
    private let inbox: CallInbox

    init(channel: GRPCChannel, path: String, metadata: Metadata, timeout: Duration?, encoding: MessageEncoding) {
        self.path = path
        self.channel = channel
        self.framer = MessageFramer(encoding: encoding)
        let reference = StreamReference()
        let loop = channel.loop
        let inbox = CallInbox(onDrained: {
            loop.execute { reference.stream?.releaseWindow() }
        })
        self.inbox = inbox
        self.stream = ClientStream(
            path: path, metadata: metadata, encoding: encoding, deadline: monotonicDeadline(after: timeout),
            inbox: inbox, maxReceiveMessageSize: channel.configuration.maxReceiveMessageSize)
        reference.stream = stream
    }

    func start(initialMessage: [UInt8]?, endStream: Bool) {
        let core = channel.core
        let stream = self.stream
        channel.loop.execute { core.start(stream, initialMessage: initialMessage, endStream: endStream) }
    }

    // MARK: Sending

    /// Sends one request message; `compress` gzips it when the call was made with `.gzip`.
    /// Suspends while the stream's outbound buffer is full. Throws ``RPCError`` once the call ended.
    public func send(_ message: [UInt8], compress: Bool = false) async throws {
        let framed = try framer.frame(message, compress: compress)
        let stream = self.stream
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            channel.loop.execute { stream.send(framed, endStream: false, waiter: continuation) }
        }
    }

    /// Half-closes the request side: no more messages will be sent.
    public func closeSend() {
        let stream = self.stream
        channel.loop.execute { stream.send([], endStream: true, waiter: nil) }
    }

    /// Cancels the call: RST_STREAM CANCEL to the server, `CANCELLED` to every reader.
    public func cancel() {
        let stream = self.stream
        channel.loop.execute {
            stream.terminate(Status(code: .cancelled, message: "the call was cancelled by the client"))
        }
    }

    // MARK: Receiving

    /// The next response message's bytes; nil once the call ended with OK.
    /// Throws ``RPCError`` carrying the status and trailing metadata otherwise.
    public func receive() async throws -> [UInt8]? {
        try await receiveMessage()?.bytes
    }

    /// The next response message with its compressed flag; nil once the call ended with OK.
    public func receiveMessage() async throws -> ReceivedMessage? {
        let inbox = self.inbox
        return try await withTaskCancellationHandler {
            try await inbox.next()
        } onCancel: {
            self.cancel()
        }
    }

    /// The response headers' custom metadata (empty if the call ended without them).
    public var initialMetadata: Metadata {
        get async { await inbox.initialMetadata() }
    }

    /// The trailers' custom metadata, once the call ended.
    public var trailingMetadata: Metadata {
        get async { await inbox.end().trailers }
    }

    /// The call's final status, once it ended (waits for the end; does not throw).
    public var status: Status {
        get async { await inbox.end().status }
    }

    /// For ``GRPCChannel/unary(path:request:metadata:timeout:compression:)``: waits for the end
    /// and returns the single response message.
    func unaryResponse() async throws -> UnaryResponse {
        let inbox = self.inbox
        let end = await withTaskCancellationHandler {
            await inbox.end()
        } onCancel: {
            self.cancel()
        }
        guard end.status.code == .ok else { throw RPCError(status: end.status, metadata: end.trailers) }
        let messages = inbox.drainMessages()
        guard messages.count == 1 else {
            throw RPCError(
                .internal, "a unary call must get exactly one response message, the server sent \(messages.count)",
                metadata: end.trailers)
        }
        return UnaryResponse(
            message: messages[0].bytes, messageWasCompressed: messages[0].wasCompressed,
            initialMetadata: await inbox.initialMetadata(), trailingMetadata: end.trailers)
    }
}

/// Lets the inbox reach its stream (created after it) to reopen the receive window.
/// `@unchecked Sendable`: `stream` is set once before the call is shared, then only read.
private final class StreamReference: @unchecked Sendable {
    weak var stream: ClientStream?
}
