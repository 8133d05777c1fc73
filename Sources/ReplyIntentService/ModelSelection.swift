internal import ModelCache
internal import Policy
internal import RPC
internal import Tenancy
internal import TenantStore

extension ServiceCore {
    /// The model a request asked for: empty for the tenant's default (its policy's model; when
    /// that one is not available, the tenant's or shared "default", as the API promises for
    /// failed and removed models), `name` for one of its own models (or the shared model of that
    /// name), `tenant/name` with the caller's own tenant. Another tenant's model is
    /// `PERMISSION_DENIED`; a bad name is `INVALID_ARGUMENT`; a named model that does not exist is
    /// `NOT_FOUND`. The tenant's own models are the ones its snapshot names, at the versions it
    /// names (the cache keeps a just-replaced version for requests on the previous snapshot).
    ///
    /// With `mayBlock` false (on an event loop) nothing is loaded or waited for: nil means the
    /// model is evicted or loading, and the call must go off the loop and come back with `mayBlock`.
    func model(named requested: String, for tenant: TenantID, snapshot config: TenantSnapshot, mayBlock: Bool)
        throws(RPCError) -> ModelSnapshot?
    {
        let policy = config.policy
        var mustLoad = false
        func find(_ name: String) -> ModelSnapshot? {
            let version = config.modelVersions[name]
            let owner = version == nil ? "" : tenant.rawValue
            if mayBlock { return models.snapshot(tenant: owner, name: name, version: version) }
            switch models.lookup(tenant: owner, name: name, version: version) {
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

    /// The tenant snapshot the call was admitted with (the same store generation as its
    /// credentials); looked up now for a call that did not come through the admission. Never blocks.
    func tenantSnapshot(_ info: ServerCallInfo, _ principal: Principal) -> TenantSnapshot {
        (info.admission as? TenantAdmission)?.tenant ?? tenants.snapshot(for: principal.tenant)
    }

    /// ``model(named:for:snapshot:mayBlock:)`` where blocking is allowed (it waits for a load);
    /// streams call it after ``prepare(_:)``, so the model is loaded already.
    func loadedModel(named requested: String, for tenant: TenantID, snapshot config: TenantSnapshot) throws(RPCError)
        -> ModelSnapshot
    {
        guard let snapshot = try model(named: requested, for: tenant, snapshot: config, mayBlock: true) else {
            throw RPCError(.internal, "the model cache gave no answer for model '\(requested)' of tenant '\(tenant)'")
        }
        return snapshot
    }

    /// Loads the tenant's default model if it is evicted, without blocking a thread, so the
    /// stream's synchronous answers that follow find it in memory.
    func prepare(_ tenant: TenantID) async {
        let config = tenants.snapshot(for: tenant)
        let name = config.policy.model
        if case .mustLoad = models.lookup(tenant: tenant.rawValue, name: name, version: config.modelVersions[name]) {
            _ = await models.snapshot(tenant: tenant.rawValue, name: name, version: config.modelVersions[name])
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
