internal import Blocking
internal import Messages
internal import ModelCache
internal import RPC
internal import Tenancy
internal import TenantStore

extension ServiceCore {
    /// `ReloadModels`: admin only; rescans the models (as SIGHUP does) and the tenants'
    /// policies and templates, and reports what changed. Loading a model file can take a while,
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
            let changes = await BlockingWork.run { [reloads] _ in reloads.reload(.adminRequest) }
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
