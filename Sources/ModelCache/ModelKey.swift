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
}
