@_spi(BlockingPermitIssuer) public import Blocking

/// The per-call state of a synchronous unary handler.
///
/// A unary handler first runs on the connection's event-loop thread and must not block there:
/// it decodes, computes and encodes in microseconds. When it finds that the call needs work that
/// waits (a model not loaded yet, a tenant's files not read yet), it calls ``requireOffEventLoop()``
/// before doing any of it: the transport then runs the handler again, from the start, on a
/// thread where blocking is allowed (``isOnEventLoop`` false, ``blockingPermit`` present), bounded by the server's
/// `maxOffloadedCalls`. The context is used by one run only and never shared across threads.
public final class UnaryContext {
    public let info: ServerCallInfo
    /// Whether the request message carried the compressed flag.
    public let requestWasCompressed: Bool
    /// True on the event loop (nothing may block); false when the handler was sent off it.
    public let isOnEventLoop: Bool
    /// The permit to block (``BlockingPermit``): nil on the event loop, present when the transport
    /// runs the handler again off it. Handlers pass it to the blocking APIs; without one they may
    /// only use the non-blocking ones, and return ``RunOffEventLoop`` when those cannot answer.
    public var blockingPermit: BlockingPermit? { isOnEventLoop ? nil : BlockingPermit() }
    /// Headers to send before the response message.
    public var responseMetadata: Metadata = [:]
    /// Metadata to send in the trailers, with the status.
    public var trailingMetadata: Metadata = [:]
    /// Compress the response message, if the client accepts the server's encoding.
    public var compressResponse = false

    public init(info: ServerCallInfo, requestWasCompressed: Bool, isOnEventLoop: Bool = true) {
        self.info = info
        self.requestWasCompressed = requestWasCompressed
        self.isOnEventLoop = isOnEventLoop
    }

    public var requestMetadata: Metadata { info.requestMetadata }

    /// Throws ``RunOffEventLoop`` on the event loop; returns at once off it. Call it before
    /// anything that may block.
    public func requireOffEventLoop() throws(RunOffEventLoop) {
        if isOnEventLoop { throw RunOffEventLoop() }
    }
}

/// Thrown by a unary handler on the event loop (through ``UnaryContext/requireOffEventLoop()``):
/// run this call again where it may block. Never reaches a client.
public struct RunOffEventLoop: Error, Sendable {
    public init() {}
}

/// A synchronous unary handler: request bytes in, response bytes out.
///
/// Throw ``RPCError`` to fail the call with that status.
public typealias UnaryHandler = @Sendable (_ request: [UInt8], _ context: UnaryContext) throws -> [UInt8]
