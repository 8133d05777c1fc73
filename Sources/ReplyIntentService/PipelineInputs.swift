internal import Blocking
internal import ModelCache
internal import RPC
internal import Tenancy
internal import TenantStore

/// What one message is processed with: the tenant's snapshot (policy, templates, model versions)
/// and the model, each looked up once per message.
struct PipelineInputs {
    let tenant: TenantSnapshot
    let model: ModelSnapshot
}

extension ClassificationPipeline {
    /// The inputs for a request naming model `requested`, on the tenant snapshot the call holds;
    /// nil when the model must be loaded first and there is no `permit`.
    func inputs(for principal: Principal, tenant: TenantSnapshot, model requested: String, permit: BlockingPermit?)
        throws(RPCError) -> PipelineInputs?
    {
        let choice = try ModelChoice(requested, policy: tenant.policy, tenant: principal.tenant)
        guard let model = try model(choice, for: principal.tenant, snapshot: tenant, permit: permit) else { return nil }
        return PipelineInputs(tenant: tenant, model: model)
    }

    /// The inputs, for tasks: a model load is awaited (ModelCache's `async` snapshot), never
    /// blocking a thread of the cooperative pool.
    func inputs(for principal: Principal, tenant: TenantSnapshot, model requested: String) async throws(RPCError)
        -> PipelineInputs
    {
        let choice = try ModelChoice(requested, policy: tenant.policy, tenant: principal.tenant)
        return PipelineInputs(tenant: tenant, model: try await model(choice, for: principal.tenant, snapshot: tenant))
    }
}
