/// Who is calling: the tenant the credentials belong to, and whether they may use admin RPCs.
public struct Principal: Sendable, Equatable {
    public let tenant: TenantID
    public let isAdmin: Bool
    /// How the caller was identified: "token", "certificate" or "single-tenant".
    public let via: String

    public init(tenant: TenantID, isAdmin: Bool, via: String) {
        self.tenant = tenant
        self.isAdmin = isAdmin
        self.via = via
    }

    /// How a ``Principal`` was identified (the values of ``via``).
    public enum Via {
        public static let token = "token"
        public static let certificate = "certificate"
        public static let singleTenant = "single-tenant"
    }
}
