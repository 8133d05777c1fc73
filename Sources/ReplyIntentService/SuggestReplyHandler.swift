internal import Classifier
internal import Messages
internal import ModelCache
internal import Policy
internal import RPC
internal import Replies
internal import Tenancy
internal import TenantStore

extension ServiceCore {
    /// `SuggestReply`, inline on the event loop: classify as `ClassifyIntent` does, then render
    /// the tenant's template for the intent and decide what to do with it.
    /// Like ClassifyIntent, it asks to run off the loop when it would have to wait.
    func suggestReply(_ bytes: [UInt8], _ context: UnaryContext) throws -> [UInt8] {
        try offLoopIfNeeded(logged("SuggestReply") { summary throws(RPCError) in
            let principal = try principal(context.info)
            summary.tenant = principal.tenant
            let request = try RequestDecoding.decode(SuggestReplyRequest.self, bytes)
            let validated = try MessageValidation.message(request.message, requireMessageID: false, limits: limits)
            try MessageValidation.variables(request.variables, limits: limits)
            let mayBlock = !context.isOnEventLoop
            let config = tenantSnapshot(context.info, principal)
            let policy = config.policy
            guard let snapshot = try model(named: request.model, for: principal.tenant, snapshot: config, mayBlock: mayBlock)
            else { return nil }
            let result = classify(validated, topK: limits.defaultTopK, snapshot: snapshot)
            publishAlertIfNeeded(tenant: principal.tenant, policy: policy, message: validated.message, result: result)
            summary.record(result, model: snapshot.key, text: validated.message.text)

            let analysis = result.analysis
            let buyerLanguage = analysis.language.isDetermined
                ? analysis.language.code : (validated.languageHint ?? analysis.language.code)
            let reply = config.composer.compose(
                intent: analysis.intent.intent, buyerLanguage: buyerLanguage,
                tenantDefaultLanguage: policy.defaultLanguage, variables: request.variables)
            let outcome = ReplyDecision.decide(
                analysis: analysis, assessment: result.assessment, policy: policy, reply: reply)
            summary.decision = outcome.decision

            return SuggestReplyResponse(
                classification: result.classification, replyText: reply?.text ?? "",
                replyLanguage: reply?.language ?? "",
                replyLanguageSource: reply.map { ReplyDecision.languageSource($0.source) } ?? .unspecified,
                templateID: reply?.templateID ?? "", missingVariables: reply?.missingVariables ?? [],
                decision: ReplyDecision.decision(outcome.decision), decisionReasons: outcome.reasons
            ).serializedBytes()
        })
    }
}
