/// A call served by an asynchronous handler: any of client-streaming, server-streaming,
/// bidirectional, or a unary call whose handler waits.
///
/// The handler runs in its own task; the transport cancels that task when the client resets
/// the stream, the deadline passes or the server shuts down.
public struct StreamingCall: Sendable {
    public let info: ServerCallInfo
    /// The request messages, in order; it finishes when the client half-closes.
    public let requests: RequestStream
    /// Where response headers and messages go.
    public let responses: any ResponseStreamWriter

    public init(info: ServerCallInfo, requests: RequestStream, responses: any ResponseStreamWriter) {
        self.info = info
        self.requests = requests
        self.responses = responses
    }
}

/// The outbound side of a streaming call, implemented by the transport.
public protocol ResponseStreamWriter: Sendable {
    /// Sends the response headers with this metadata now. Optional: without it the headers
    /// go out with the first message, or the call ends Trailers-Only.
    func sendInitialMetadata(_ metadata: Metadata) async throws

    /// Queues one response message. Suspends while the stream's outbound buffer is full,
    /// so a slow reader slows this writer (HTTP/2 flow control) rather than filling memory.
    /// Throws ``RPCError`` (`CANCELLED`, `DEADLINE_EXCEEDED`) once the stream is gone.
    func send(_ message: [UInt8], compress: Bool) async throws
}

extension ResponseStreamWriter {
    public func send(_ message: [UInt8]) async throws {
        try await send(message, compress: false)
    }
}

/// An asynchronous handler. It returns the trailing metadata to send with status OK;
/// throwing ``RPCError`` ends the call with that status (and the error's metadata).
public typealias StreamingHandler = @Sendable (_ call: StreamingCall) async throws -> Metadata
