/// How a method is served.
public enum MethodHandler: Sendable {
    /// Runs inline on the event loop; for fast, non-blocking unary methods. A call that finds it
    /// must wait (a model to load) throws ``RunOffEventLoop`` and is run again off the loop.
    case unary(UnaryHandler)
    /// Runs in a task with a request stream and a response writer.
    case streaming(StreamingHandler)
}

/// A table from `/package.Service/Method` to its handler, like early Redis's command table.
public struct Router: Sendable {
    private var routes: [String: Route] = [:]
    private(set) public var services: Set<String> = []

    public init() {}

    /// Registers `handler` for `path`; `admission` (if any) decides on each call's headers,
    /// before its request is read.
    public mutating func register(_ path: MethodPath, _ handler: MethodHandler, admission: CallAdmission? = nil) {
        routes[path.path] = Route(handler: handler, admission: admission)
        services.insert(path.service)
    }

    public mutating func register(_ service: some RPCService) {
        service.register(into: &self)
    }

    /// The route for a `:path`, or the `UNIMPLEMENTED` error the client should get.
    public func resolve(_ path: String) -> Result<Route, RPCError> {
        if let route = routes[path] { return .success(route) }
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
