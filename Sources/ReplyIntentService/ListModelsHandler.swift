internal import Messages
internal import ModelCache
internal import RPC
internal import Tenancy

extension ServiceCore {
    /// `ListModels`: admin only; every model, or one tenant's.
    func listModels(_ bytes: [UInt8], _ context: UnaryContext) throws -> [UInt8] {
        try offLoopIfNeeded(logged("ListModels") { summary throws(RPCError) in
            let principal = try adminPrincipal(context.info)
            summary.tenant = principal.tenant
            let request = try RequestDecoding.decode(ListModelsRequest.self, bytes)
            var filter: String? = nil
            if !request.tenant.isEmpty {
                if let problem = TenantID.problem(with: request.tenant) {
                    throw RPCError(.invalidArgument, "tenant '\(request.tenant.prefix(80))' is not a tenant id: \(problem)")
                }
                filter = request.tenant
            }
            var response = ListModelsResponse()
            response.models = ModelInfoMapping.infos(models.statuses(), tenant: filter)
            response.memoryBudgetBytes = UInt64(max(0, models.memoryBudgetBytes))
            response.memoryUsedBytes = UInt64(max(0, models.memoryUsedBytes))
            return response.serializedBytes()
        })
    }
}
