internal import Blocking
internal import ModelCache
internal import Policy
internal import RPC
internal import Tenancy
internal import TenantStore

/// Which model serves a request, as names to try in order. Empty: the tenant's default (its
/// policy's model; when that one is not available, the tenant's or shared "default", as the API
/// promises for failed and removed models). `name`: one of the tenant's own models (or the shared
/// model of that name). `tenant/name`: the same, with the caller's own tenant. Another tenant's
/// model is `PERMISSION_DENIED`; a bad name is `INVALID_ARGUMENT`; a model that is not there is
/// `NOT_FOUND` (``notFound(tenant:)``).
struct ModelChoice {
    let requested: String
    let first: String
    let fallback: String?

    init(_ requested: String, policy: TenantPolicy, tenant: TenantID) throws(RPCError) {
        self.requested = requested
        if requested.isEmpty {
            first = policy.model
            fallback = policy.model == ModelKey.sharedDefault.name ? nil : ModelKey.sharedDefault.name
        } else {
            first = try Self.ownModelName(requested, tenant: tenant)
            fallback = nil
        }
    }

    func notFound(tenant: TenantID) -> RPCError {
        if requested.isEmpty {
            return RPCError(
                .notFound,
                "no model for tenant '\(tenant)': neither its policy's model '\(first)' nor the default model loaded")
        }
        return RPCError(
            .notFound,
            "model '\(requested)' not found: tenant '\(tenant)' has no model file \(first).rimodel that loaded,"
                + " and there is no shared model of that name")
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

extension ClassificationPipeline {
    /// The model `choice` names for `tenant`, at the version its snapshot pins for the tenant's own
    /// models (the cache keeps a just-replaced version for requests on the previous snapshot).
    /// Without a permit nothing is loaded or waited for: nil means a model on the way is evicted
    /// or loading, and the call must come back with a permit (or use the `async` overload). With
    /// one, an evicted model loads on this thread.
    func model(_ choice: ModelChoice, for tenant: TenantID, snapshot: TenantSnapshot, permit: BlockingPermit?) throws(RPCError) -> ModelSnapshot? {
        switch find(choice.first, for: tenant, snapshot, permit: permit) {
        case .ready(let snapshot): return snapshot
        case .mustLoad: return nil
        case .absent: break
        }
        if let fallback = choice.fallback {
            switch find(fallback, for: tenant, snapshot, permit: permit) {
            case .ready(let snapshot): return snapshot
            case .mustLoad: return nil
            case .absent: break
            }
        }
        throw choice.notFound(tenant: tenant)
    }

    /// The model `choice` names, for tasks: one in memory at once, an evicted one awaited while
    /// the cache's loader thread loads it.
    func model(_ choice: ModelChoice, for tenant: TenantID, snapshot: TenantSnapshot) async throws(RPCError) -> ModelSnapshot {
        for name in [choice.first] + (choice.fallback.map { [$0] } ?? []) {
            let (owner, version) = Self.owner(of: name, tenant, snapshot)
            if let snapshot = await models.snapshot(tenant: owner, name: name, version: version) { return snapshot }
        }
        throw choice.notFound(tenant: tenant)
    }

    private func find(_ name: String, for tenant: TenantID, _ snapshot: TenantSnapshot, permit: BlockingPermit?) -> ModelLookup {
        let (owner, version) = Self.owner(of: name, tenant, snapshot)
        guard let permit else { return models.lookup(tenant: owner, name: name, version: version) }
        return models.snapshot(tenant: owner, name: name, version: version, permit: permit).map(ModelLookup.ready)
            ?? .absent
    }

    /// Whose model `name` is: the tenant's own at the version its snapshot names, else the shared one.
    private static func owner(of name: String, _ tenant: TenantID, _ snapshot: TenantSnapshot)
        -> (owner: String, version: String?)
    {
        guard let version = snapshot.modelVersions[name] else { return ("", nil) }
        return (tenant.rawValue, version)
    }
}
