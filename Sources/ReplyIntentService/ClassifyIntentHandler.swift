internal import Classifier
internal import Messages
internal import ModelCache
internal import Policy
internal import RPC
internal import Tenancy
internal import TenantStore

extension ServiceCore {
    /// `ClassifyIntent`, inline on the event loop: decode, validate, classify, maybe raise an
    /// alert, encode (the caller was authenticated at its HEADERS). No task hops, no I/O: when
    /// the tenant's files were never read or its model is evicted, the call asks to be run again
    /// off the loop (``RunOffEventLoop``), where that work may block.
    func classifyIntent(_ bytes: [UInt8], _ context: UnaryContext) throws -> [UInt8] {
        try offLoopIfNeeded(logged("ClassifyIntent") { summary throws(RPCError) in
            let principal = try principal(context.info)
            summary.tenant = principal.tenant
            let request = try RequestDecoding.decode(ClassifyIntentRequest.self, bytes)
            let validated = try MessageValidation.message(request.message, requireMessageID: false, limits: limits)
            let topK = try MessageValidation.topK(request.topK, limits: limits)
            let mayBlock = !context.isOnEventLoop
            let config = tenantSnapshot(context.info, principal)
            guard let snapshot = try model(named: request.model, for: principal.tenant, snapshot: config, mayBlock: mayBlock)
            else { return nil }
            let result = classify(validated, topK: topK, snapshot: snapshot)
            publishAlertIfNeeded(tenant: principal.tenant, policy: config.policy, message: validated.message, result: result)
            summary.record(result, model: snapshot.key, text: validated.message.text)
            return ClassifyIntentResponse(classification: result.classification).serializedBytes()
        })
    }
}
