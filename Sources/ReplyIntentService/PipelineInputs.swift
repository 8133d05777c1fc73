internal import Blocking
internal import ModelCache
internal import RPC
internal import Tenancy

/// What one message is processed with: the tenant's configuration and the model, each looked up
/// once per message.
struct PipelineInputs {
    let config: TenantConfig
    let model: ModelSnapshot
}

extension ClassificationPipeline {
    /// The caller's tenant configuration: the only place the pipeline reads tenant settings. From
    /// the cache, never blocking; the tenant's files are read only with a `permit` (nil: they must
    /// be read, and this thread may not block).
    func tenantConfig(for principal: Principal, permit: BlockingPermit?) -> TenantConfig? {
        if let config = tenants.cachedConfig(for: principal.tenant) { return config }
        guard permit != nil else { return nil }
        return tenants.config(for: principal.tenant)
    }

    /// The inputs for a request naming model `requested`; nil when something must be read or
    /// loaded first and there is no `permit`.
    func inputs(for principal: Principal, model requested: String, permit: BlockingPermit?) throws(RPCError)
        -> PipelineInputs?
    {
        guard let config = tenantConfig(for: principal, permit: permit) else { return nil }
        let choice = try ModelChoice(requested, policy: config.policy, tenant: principal.tenant)
        guard let model = try model(choice, for: principal.tenant, permit: permit) else { return nil }
        return PipelineInputs(config: config, model: model)
    }

    /// The inputs, for tasks: a tenant's first file read runs in ``BlockingWork``, a model load is
    /// awaited (ModelCache's `async` snapshot); neither blocks a thread of the cooperative pool.
    func inputs(for principal: Principal, model requested: String) async throws(RPCError) -> PipelineInputs {
        var config = tenantConfig(for: principal, permit: nil)
        if config == nil {
            config = await BlockingWork.run { permit in self.tenantConfig(for: principal, permit: permit) }
        }
        guard let config else {
            throw RPCError(.internal, "the configuration of tenant '\(principal.tenant)' could not be read")
        }
        let choice = try ModelChoice(requested, policy: config.policy, tenant: principal.tenant)
        return PipelineInputs(config: config, model: try await model(choice, for: principal.tenant))
    }
}
