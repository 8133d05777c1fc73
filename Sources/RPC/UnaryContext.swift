/// The per-call state of a synchronous unary handler.
///
/// A unary handler runs on the connection's event-loop thread and must not block: it decodes,
/// computes and encodes in microseconds. Work that waits belongs in a ``StreamingHandler``.
/// The context is used by that one call only and is never shared across threads.
public final class UnaryContext {
    public let info: ServerCallInfo
    /// Whether the request message carried the compressed flag.
    public let requestWasCompressed: Bool
    /// Headers to send before the response message.
    public var responseMetadata: Metadata = [:]
    /// Metadata to send in the trailers, with the status.
    public var trailingMetadata: Metadata = [:]
    /// Compress the response message, if the client accepts the server's encoding.
    public var compressResponse = false

    public init(info: ServerCallInfo, requestWasCompressed: Bool) {
        self.info = info
        self.requestWasCompressed = requestWasCompressed
    }

    public var requestMetadata: Metadata { info.requestMetadata }
}

/// A synchronous unary handler: request bytes in, response bytes out.
///
/// Throw ``RPCError`` to fail the call with that status.
public typealias UnaryHandler = @Sendable (_ request: [UInt8], _ context: UnaryContext) throws -> [UInt8]
