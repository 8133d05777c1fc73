/// Which model: a tenant's (`tenant` non-empty) or the shared one (`tenant == ""`), by name.
public struct ModelKey: Hashable, Sendable, CustomStringConvertible {
    /// The owner; "" for the shared models (today only the shared default).
    public let tenant: String
    public let name: String

    public init(tenant: String, name: String) {
        self.tenant = tenant
        self.name = name
    }

    /// The shared default model (the server's `default_model` file).
    public static let sharedDefault = ModelKey(tenant: "", name: "default")

    public var isShared: Bool { tenant.isEmpty }

    /// "acme/support-v2"; a shared model is just its name ("default"): tenant ids never hold "/".
    public var description: String { tenant.isEmpty ? name : tenant + "/" + name }

    /// Tenant ids and model names: `^[a-z0-9][a-z0-9_-]{0,62}$` (they become path components).
    public static func isValidComponent(_ value: String) -> Bool {
        let bytes = value.utf8
        guard let first = bytes.first, bytes.count <= 63, isLowerAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
