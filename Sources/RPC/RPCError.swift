/// The one error a handler throws outward: a status code, a message and trailing metadata.
///
/// Any other error a handler throws reaches the client as `UNKNOWN` with the error's description.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Status.Code
    public var message: String
    public var metadata: Metadata

    public init(_ code: Status.Code, _ message: String, metadata: Metadata = [:]) {
        self.code = code
        self.message = message
        self.metadata = metadata
    }

    public init(status: Status, metadata: Metadata = [:]) {
        self.init(status.code, status.message, metadata: metadata)
    }

    public var status: Status { Status(code: code, message: message) }
    public var description: String { status.description }
}

extension RPCError {
    /// Maps any error a handler threw to the status the client will see.
    public init(wrapping error: any Error) {
        if let rpcError = error as? RPCError {
            self = rpcError
        } else if error is CancellationError {
            self.init(.cancelled, "the call was cancelled")
        } else {
            self.init(.unknown, "\(error)")
        }
    }
}
