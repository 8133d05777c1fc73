internal import Alerts
internal import Classifier
internal import Messages
internal import Policy
internal import Tenancy

extension ServiceCore {
    /// Raises an alert for the tenant when the message's priority is at or above the tenant
    /// policy's `alert_min_priority`. The hub assigns the sequence; publishing never waits for
    /// subscribers. Returns the sequence, or nil when no alert was raised.
    @discardableResult
    func publishAlertIfNeeded(
        tenant: TenantID, policy: TenantPolicy, message: BuyerMessage, result: ClassificationResult
    ) -> UInt64? {
        let assessment = result.assessment
        guard assessment.priority >= policy.alertMinPriority else { return nil }
        let intent = result.analysis.intent.intent
        let raisedAt = UnixTime.nowMilliseconds()
        return alerts.publish(tenant: tenant.rawValue, priority: assessment.priority.rawValue) { sequence in
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
