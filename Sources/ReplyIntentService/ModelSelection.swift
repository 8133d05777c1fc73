internal import ModelCache
internal import Policy
internal import RPC
internal import Tenancy

extension ServiceCore {
    /// The model a request asked for: empty for the tenant's default (its policy's model; when
    /// that one is not available, the tenant's or shared "default", as the API promises for
    /// failed and removed models), `name` for one of its own models (or the shared model of that
    /// name), `tenant/name` with the caller's own tenant. Another tenant's model is
    /// `PERMISSION_DENIED`; a bad name is `INVALID_ARGUMENT`; a named model that does not exist is
    /// `NOT_FOUND`.
    func model(named requested: String, for tenant: TenantID, policy: TenantPolicy) throws(RPCError) -> ModelSnapshot {
        if requested.isEmpty {
            if let snapshot = models.snapshot(tenant: tenant.rawValue, name: policy.model) { return snapshot }
            if policy.model != ModelKey.sharedDefault.name,
                let snapshot = models.snapshot(tenant: tenant.rawValue, name: ModelKey.sharedDefault.name)
            {
                return snapshot
            }
            throw RPCError(
                .notFound,
                "no model for tenant '\(tenant)': neither its policy's model '\(policy.model)' nor the default model loaded")
        }
        let name = try Self.ownModelName(requested, tenant: tenant)
        guard let snapshot = models.snapshot(tenant: tenant.rawValue, name: name) else {
            throw RPCError(
                .notFound,
                "model '\(requested)' not found: tenant '\(tenant)' has no model file \(name).rimodel that loaded,"
                    + " and there is no shared model of that name")
        }
        return snapshot
    }

    /// Splits `tenant/name` and checks both parts; returns the bare name.
    static func ownModelName(_ requested: String, tenant: TenantID) throws(RPCError) -> String {
        guard let slash = requested.firstIndex(of: "/") else {
            try checkName(requested, requested: requested)
            return requested
        }
        let owner = String(requested[..<slash])
        let name = String(requested[requested.index(after: slash)...])
        if let problem = TenantID.problem(with: owner) {
            throw RPCError(.invalidArgument, "model '\(requested)': the tenant part is not valid: \(problem)")
        }
        try checkName(name, requested: requested)
        guard owner == tenant.rawValue else {
            throw RPCError(
                .permissionDenied,
                "model '\(requested)' belongs to tenant '\(owner)': a caller may use only its own tenant's"
                    + " models (tenant '\(tenant)') and the shared ones")
        }
        return name
    }

    private static func checkName(_ name: String, requested: String) throws(RPCError) {
        if let problem = ModelName.problem(with: name) {
            throw RPCError(.invalidArgument, "model '\(requested)' is not a valid model name: \(problem)")
        }
    }
}
