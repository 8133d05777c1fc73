internal import Classifier
internal import Messages
internal import ModelCache
internal import Policy
internal import RPC
internal import Tenancy

extension ServiceCore {
    /// `ClassifyIntent`, inline on the event loop: authenticate, decode, validate, classify,
    /// maybe raise an alert, encode. No task hops, no I/O (the model cache may load an evicted
    /// model here, once).
    func classifyIntent(_ bytes: [UInt8], _ context: UnaryContext) throws(RPCError) -> [UInt8] {
        try logged("ClassifyIntent") { summary throws(RPCError) in
            let principal = try authenticate(context.info)
            summary.tenant = principal.tenant
            let request = try RequestDecoding.decode(ClassifyIntentRequest.self, bytes)
            let validated = try MessageValidation.message(request.message, requireMessageID: false, limits: limits)
            let topK = try MessageValidation.topK(request.topK, limits: limits)
            let config = tenants.config(for: principal.tenant)
            let snapshot = try model(named: request.model, for: principal.tenant, policy: config.policy)
            let result = classify(validated, topK: topK, snapshot: snapshot)
            publishAlertIfNeeded(tenant: principal.tenant, policy: config.policy, message: validated.message, result: result)
            summary.record(result, model: snapshot.key, text: validated.message.text)
            return ClassifyIntentResponse(classification: result.classification).serializedBytes()
        }
    }
}
