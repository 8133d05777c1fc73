internal import Messages
internal import RPC

/// The interop "Echo Metadata" and "Echo Status" features: what a request asks the server
/// to send back in its initial metadata, its trailers, and its final status.
struct EchoedMetadata {
    static let initialKey = "x-grpc-test-echo-initial"
    static let trailingKey = "x-grpc-test-echo-trailing-bin"

    /// Every `x-grpc-test-echo-initial` value of the request, for the response headers.
    var initial: Metadata = [:]
    /// Every `x-grpc-test-echo-trailing-bin` value of the request, for the trailers.
    var trailing: Metadata = [:]

    init(from request: Metadata) {
        for entry in request {
            if entry.name == Self.initialKey { initial.add(entry) }
            if entry.name == Self.trailingKey { trailing.add(entry) }
        }
    }

    /// The error that ends a call whose request carried a non-OK `response_status`
    /// (nil for none or code 0); it carries the echoed trailers.
    func requestedFailure(_ status: EchoStatus?) -> RPCError? {
        guard let status, status.code != 0 else { return nil }
        return RPCError(Status.Code(rawValue: Int(status.code)), status.message, metadata: trailing)
    }

    /// Sends the echoed initial metadata now, when there is any (streaming calls).
    func sendInitial(on responses: any ResponseStreamWriter) async throws {
        if !initial.isEmpty { try await responses.sendInitialMetadata(initial) }
    }

    /// Adds the echoed metadata to a unary call's response.
    func apply(to context: UnaryContext) {
        for entry in initial { context.responseMetadata.add(entry) }
        for entry in trailing { context.trailingMetadata.add(entry) }
    }
}
