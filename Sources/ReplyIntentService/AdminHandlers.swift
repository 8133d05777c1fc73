internal import Messages
internal import ModelCache
internal import RPC
internal import Tenancy
internal import TenantStore

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

    /// `ReloadModels`: admin only; runs the reload procedure (as SIGHUP does: tokens, tenant
    /// files, models) and reports what changed. Loading a model file can take a while,
    /// so this unary method is served in a task (`.streaming`), never inline on an event loop.
    func reloadModels(_ call: StreamingCall) async throws -> Metadata {
        let start = ContinuousClock.now
        var summary = CallSummary()
        do {
            let principal = try adminPrincipal(call.info)
            summary.tenant = principal.tenant
            var requests = call.requests.makeAsyncIterator()
            guard let message = try await requests.next() else {
                throw RPCError(.invalidArgument, "expected one ReloadModelsRequest, the client sent none")
            }
            _ = try RequestDecoding.decode(ReloadModelsRequest.self, message.bytes)
            let changes = await BlockingWork.run { [reloads] in reloads.reload(.adminRequest) }
            var response = ReloadModelsResponse()
            response.models = ModelInfoMapping.infos(models.statuses(), tenant: nil)
            response.changes = changes
            try await call.responses.send(response.serializedBytes())
            if logsCalls { logCall("ReloadModels", summary, status: nil, latency: ContinuousClock.now - start) }
            return [:]
        } catch {
            if logsCalls {
                logCall("ReloadModels", summary, status: RPCError(wrapping: error), latency: ContinuousClock.now - start)
            }
            throw error
        }
    }
}
