internal import Messages
internal import Policy
internal import RPC
internal import Replies
internal import Tenancy
internal import TenantStore

extension ServiceCore {
    /// `SuggestReply`, inline on the event loop: the pipeline as for `ClassifyIntent`, asked also
    /// for the reply (the tenant's template for the intent) and the decision. Like ClassifyIntent,
    /// it asks to run off the loop when it would have to wait.
    func suggestReply(_ bytes: [UInt8], _ context: UnaryContext) throws -> [UInt8] {
        try offLoopIfNeeded(logged("SuggestReply") { summary throws(RPCError) in
            let admission = try admitted(context.info)
            let principal = admission.principal
            summary.tenant = principal.tenant
            let request = try RequestDecoding.decode(SuggestReplyRequest.self, bytes)
            var effects = SideEffects.none
            guard
                let outcome = try pipeline.run(
                    PipelineRequest(message: request.message, model: request.model, replyVariables: request.variables),
                    for: principal, tenant: admission.tenant, permit: context.blockingPermit,
                    effects: &effects)
            else { return nil }
            summary.record(outcome)
            guard let suggested = outcome.reply else {
                throw RPCError(.internal, "the pipeline answered SuggestReply without a reply")
            }
            let reply = suggested.rendered
            return SuggestReplyResponse(
                classification: outcome.classification, replyText: reply?.text ?? "",
                replyLanguage: reply?.language ?? "",
                replyLanguageSource: reply.map { ReplyDecision.languageSource($0.source) } ?? .unspecified,
                templateID: reply?.templateID ?? "", missingVariables: reply?.missingVariables ?? [],
                decision: ReplyDecision.decision(suggested.decision.decision), decisionReasons: suggested.decision.reasons
            ).serializedBytes()
        })
    }
}
