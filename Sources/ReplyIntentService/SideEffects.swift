internal import Classifier
internal import Alerts
internal import Messages
internal import Policy
internal import Tenancy

/// What a processed message leaves behind besides its answer, applied in one step by the
/// ``ClassificationPipeline``: the tenant's alert, when the priority reaches the policy's
/// `alert_min_priority`, and, on a stream, the intent remembered for corrections'
/// `previous_intent`. A unary call uses ``none``; a stream keeps one for its whole life.
struct SideEffects {
    /// The stream's answered intents by message id; nil for unary calls.
    private(set) var recentIntents: RecentIntents?

    static var none: SideEffects { SideEffects(recentIntents: nil) }

    static func stream(remembering capacity: Int) -> SideEffects {
        SideEffects(recentIntents: RecentIntents(capacity: capacity))
    }

    /// The intent the stream answered for `messageID`, if it still remembers it.
    func previousIntent(of messageID: String) -> String? { recentIntents?[messageID] }

    mutating func apply(_ outcome: PipelineOutcome, tenant: TenantID, policy: TenantPolicy, alerts: AlertHub<Alert>) {
        Self.publishAlertIfNeeded(outcome, tenant: tenant, policy: policy, alerts: alerts)
        recentIntents?.remember(outcome.analysis.intent.intent, for: outcome.message.message.messageID)
    }

    /// The hub assigns the sequence; publishing never waits for subscribers.
    private static func publishAlertIfNeeded(
        _ outcome: PipelineOutcome, tenant: TenantID, policy: TenantPolicy, alerts: AlertHub<Alert>
    ) {
        let assessment = outcome.assessment
        guard assessment.priority >= policy.alertMinPriority else { return }
        let message = outcome.message.message
        let intent = outcome.analysis.intent.intent
        let raisedAt = UnixTime.nowMilliseconds()
        _ = alerts.publish(tenant: tenant.rawValue, priority: assessment.priority.rawValue) { sequence in
            var alert = Alert()
            alert.sequence = sequence
            alert.conversationID = message.conversationID
            alert.messageID = message.messageID
            alert.buyerID = message.buyerID
            alert.platform = message.platform
            alert.priority = ClassificationMapping.priority(assessment.priority)
            alert.reasons = assessment.reasons
            alert.intent = intent
            alert.raisedAtUnixMs = raisedAt
            return alert
        }
    }
}
