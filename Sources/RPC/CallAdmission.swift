/// Decides from a call's HEADERS alone whether it may go on, before the transport buffers a
/// single byte of its request: authentication belongs here.
///
/// Runs on the event loop, so it must not block (a dictionary lookup and a hash, not a file
/// read). Throw ``RPCError`` (`UNAUTHENTICATED`, `PERMISSION_DENIED`) to refuse the call: the
/// client gets a Trailers-Only response at once and the stream's request bytes are discarded
/// without its flow-control window being reopened. The value returned (for example the
/// authenticated principal) reaches the handler as ``ServerCallInfo/admission``.
public typealias CallAdmission = @Sendable (_ info: ServerCallInfo) throws -> (any Sendable)?

/// A registered method: how it is served and who may call it.
public struct Route: Sendable {
    public var handler: MethodHandler
    /// nil: every caller is admitted.
    public var admission: CallAdmission?

    public init(handler: MethodHandler, admission: CallAdmission? = nil) {
        self.handler = handler
        self.admission = admission
    }
}
