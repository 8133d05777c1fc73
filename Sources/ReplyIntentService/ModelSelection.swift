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
    ///
    /// With `mayBlock` false (on an event loop) nothing is loaded or waited for: nil means the
    /// model is evicted or loading, and the call must go off the loop and come back with `mayBlock`.
    func model(named requested: String, for tenant: TenantID, policy: TenantPolicy, mayBlock: Bool) throws(RPCError)
        -> ModelSnapshot?
    {
        var mustLoad = false
        func find(_ name: String) -> ModelSnapshot? {
            if mayBlock { return models.snapshot(tenant: tenant.rawValue, name: name) }
            switch models.lookup(tenant: tenant.rawValue, name: name) {
            case .ready(let snapshot): return snapshot
            case .absent: return nil
            case .mustLoad:
                mustLoad = true
                return nil
            }
        }
        if requested.isEmpty {
            if let snapshot = find(policy.model) { return snapshot }
            if mustLoad { return nil }
            if policy.model != ModelKey.sharedDefault.name, let snapshot = find(ModelKey.sharedDefault.name) {
                return snapshot
            }
            if mustLoad { return nil }
            throw RPCError(
                .notFound,
                "no model for tenant '\(tenant)': neither its policy's model '\(policy.model)' nor the default model loaded")
        }
        let name = try Self.ownModelName(requested, tenant: tenant)
        guard let snapshot = find(name) else {
            if mustLoad { return nil }
            throw RPCError(
                .notFound,
                "model '\(requested)' not found: tenant '\(tenant)' has no model file \(name).rimodel that loaded,"
                    + " and there is no shared model of that name")
        }
        return snapshot
    }

    /// The tenant's configuration: from the cache, or read now when `mayBlock`; nil when it
    /// must be read and this thread may not block.
    func tenantConfig(_ tenant: TenantID, mayBlock: Bool) -> TenantConfig? {
        if let config = tenants.cachedConfig(for: tenant) { return config }
        return mayBlock ? tenants.config(for: tenant) : nil
    }

    /// ``model(named:for:policy:mayBlock:)`` where blocking is allowed (it waits for a load);
    /// streams call it after ``prepare(_:)``, so the model is loaded already.
    func loadedModel(named requested: String, for tenant: TenantID, policy: TenantPolicy) throws(RPCError)
        -> ModelSnapshot
    {
        guard let snapshot = try model(named: requested, for: tenant, policy: policy, mayBlock: true) else {
            throw RPCError(.internal, "the model cache gave no answer for model '\(requested)' of tenant '\(tenant)'")
        }
        return snapshot
    }

    /// Reads the tenant's files (first use) and loads its default model if it is evicted, on
    /// threads that may block, so the stream's synchronous answers that follow find both in memory.
    func prepare(_ tenant: TenantID) async {
        let config = await tenants.config(for: tenant)
        if case .mustLoad = models.lookup(tenant: tenant.rawValue, name: config.policy.model) {
            _ = await models.snapshot(tenant: tenant.rawValue, name: config.policy.model)
        }
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
