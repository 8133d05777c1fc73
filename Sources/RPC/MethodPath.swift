/// A fully qualified method: `/package.Service/Method` on the wire.
public struct MethodPath: Sendable, Hashable, CustomStringConvertible {
    public let service: String
    public let method: String

    public init(service: String, method: String) {
        self.service = service
        self.method = method
    }

    /// Parses `/package.Service/Method`; nil when the path does not have that shape.
    public init?(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        self.service = String(parts[1])
        self.method = String(parts[2])
    }

    public var path: String { "/\(service)/\(method)" }
    public var description: String { path }
}
