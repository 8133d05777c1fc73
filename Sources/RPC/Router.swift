/// How a method is served.
public enum MethodHandler: Sendable {
    /// Runs inline on the event loop; for fast, non-blocking unary methods.
    case unary(UnaryHandler)
    /// Runs in a task with a request stream and a response writer.
    case streaming(StreamingHandler)
}

/// A table from `/package.Service/Method` to its handler, like early Redis's command table.
public struct Router: Sendable {
    private var handlers: [String: MethodHandler] = [:]
    private(set) public var services: Set<String> = []

    public init() {}

    public mutating func register(_ path: MethodPath, _ handler: MethodHandler) {
        handlers[path.path] = handler
        services.insert(path.service)
    }

    public mutating func register(_ service: some RPCService) {
        service.register(into: &self)
    }

    /// The handler for a `:path`, or the `UNIMPLEMENTED` error the client should get.
    public func resolve(_ path: String) -> Result<MethodHandler, RPCError> {
        if let handler = handlers[path] { return .success(handler) }
        guard let method = MethodPath(path: path) else {
            return .failure(RPCError(.unimplemented, "malformed method path '\(path)': expected /package.Service/Method"))
        }
        if services.contains(method.service) {
            return .failure(RPCError(.unimplemented, "method '\(method.method)' is not implemented by service '\(method.service)'"))
        }
        return .failure(RPCError(.unimplemented, "unknown service '\(method.service)'"))
    }
}

/// A set of methods registered together.
public protocol RPCService: Sendable {
    func register(into router: inout Router)
}
