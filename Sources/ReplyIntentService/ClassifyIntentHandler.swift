internal import Messages
internal import RPC
internal import Tenancy
internal import TenantStore

extension ServiceCore {
    /// `ClassifyIntent`, inline on the event loop: decode, the pipeline (classify, maybe raise an
    /// alert), encode (the caller was authenticated at its HEADERS). No task hops, no I/O: when
    /// the model is evicted, the call asks to be run again off the loop (``RunOffEventLoop``),
    /// where the context carries a blocking permit.
    func classifyIntent(_ bytes: [UInt8], _ context: UnaryContext) throws -> [UInt8] {
        try offLoopIfNeeded(logged("ClassifyIntent") { summary throws(RPCError) in
            let admission = try admitted(context.info)
            let principal = admission.principal
            summary.tenant = principal.tenant
            let request = try RequestDecoding.decode(ClassifyIntentRequest.self, bytes)
            var effects = SideEffects.none
            guard
                let outcome = try pipeline.run(
                    PipelineRequest(message: request.message, topK: request.topK, model: request.model),
                    for: principal, tenant: admission.tenant, permit: context.blockingPermit,
                    effects: &effects)
            else { return nil }
            summary.record(outcome)
            return ClassifyIntentResponse(classification: outcome.classification).serializedBytes()
        })
    }
}
