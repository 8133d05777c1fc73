internal import Alerts
internal import Blocking
internal import Classifier
internal import Messages
internal import ModelCache
internal import Policy
internal import RPC
internal import Replies
internal import Tenancy
internal import TenantStore

/// The one path every buyer message takes, whichever RPC carried it (ClassifyIntent, SuggestReply,
/// a StreamConversations message item):
///
///     PipelineRequest ─► validated message ─► PipelineInputs (the tenant's snapshot, the model)
///       ─► classification ─► (reply ─► decision, when asked) ─► SideEffects ─► PipelineOutcome
///
/// Handlers only decode their request into a ``PipelineRequest`` and map the ``PipelineOutcome`` to
/// their response. Immutable and `Sendable`; ``ServiceCore`` holds the one instance.
final class ClassificationPipeline: Sendable {
    let models: ModelCache
    let alerts: AlertHub<Alert>
    let limits: ServiceLimits
    let scratches = ScratchPool()

    init(_ dependencies: ServiceDependencies) {
        models = dependencies.models
        alerts = dependencies.alerts
        limits = dependencies.limits
    }

    /// Runs `request` on the calling thread, on `tenant`, the snapshot the call holds from start to
    /// end. Without a permit (on an event loop) nothing is loaded: nil means the model must be
    /// loaded first, and the call must come back with a ``BlockingPermit`` (the transport's
    /// offload). Nothing was published then.
    func run(
        _ request: PipelineRequest, for principal: Principal, tenant: TenantSnapshot, permit: BlockingPermit?,
        effects: inout SideEffects
    ) throws(RPCError) -> PipelineOutcome? {
        let (message, topK) = try request.validated(limits: limits)
        guard let inputs = try inputs(for: principal, tenant: tenant, model: request.model, permit: permit) else {
            return nil
        }
        return finish(request, message, topK: topK, inputs: inputs, tenant: principal.tenant, effects: &effects)
    }

    /// ``run(_:for:permit:effects:)`` for tasks (streams): the same steps, but what must be read or
    /// loaded first is awaited, never blocking a thread of the cooperative pool.
    func run(
        _ request: PipelineRequest, for principal: Principal, tenant: TenantSnapshot, effects: inout SideEffects
    ) async throws(RPCError) -> PipelineOutcome {
        let (message, topK) = try request.validated(limits: limits)
        let inputs = try await inputs(for: principal, tenant: tenant, model: request.model)
        return finish(request, message, topK: topK, inputs: inputs, tenant: principal.tenant, effects: &effects)
    }

    /// Classifies, replies and decides when asked, then applies the side effects.
    @inline(__always)
    private func finish(
        _ request: PipelineRequest, _ message: ValidatedMessage, topK: Int, inputs: PipelineInputs, tenant: TenantID,
        effects: inout SideEffects
    ) -> PipelineOutcome {
        var outcome = classify(message, topK: topK, model: inputs.model)
        if let variables = request.replyVariables {
            outcome.reply = reply(to: outcome, variables: variables, config: inputs.tenant)
        }
        effects.apply(outcome, tenant: tenant, policy: inputs.tenant.policy, alerts: alerts)
        return outcome
    }

    /// Scores the message with the model's analyzer, on the calling thread, with a pooled scratch.
    private func classify(_ message: ValidatedMessage, topK: Int, model: ModelSnapshot) -> PipelineOutcome {
        let analyzer = model.analyzer
        let analysis = scratches.withScratch { scratch in
            analyzer.analyze(text: message.message.text, languageHint: message.languageHint, scratch: scratch, topK: topK)
        }
        let assessment = PriorityRules.assess(analysis)
        let classification = ClassificationMapping.classification(
            of: message.message, analysis: analysis, assessment: assessment, snapshot: model)
        return PipelineOutcome(
            message: message, analysis: analysis, assessment: assessment, classification: classification,
            model: model.key)
    }

    /// Renders the tenant's template for the intent (in the buyer's language when it was
    /// determined, else the hint's) and decides what to do with it.
    private func reply(to outcome: PipelineOutcome, variables: [String: String], config: TenantSnapshot) -> SuggestedReply {
        let analysis = outcome.analysis
        let buyerLanguage =
            analysis.language.isDetermined ? analysis.language.code : (outcome.message.languageHint ?? analysis.language.code)
        let rendered = config.composer.compose(
            intent: analysis.intent.intent, buyerLanguage: buyerLanguage,
            tenantDefaultLanguage: config.policy.defaultLanguage, variables: variables)
        let decision = ReplyDecision.decide(
            analysis: analysis, assessment: outcome.assessment, policy: config.policy, reply: rendered)
        return SuggestedReply(rendered: rendered, decision: decision)
    }
}
