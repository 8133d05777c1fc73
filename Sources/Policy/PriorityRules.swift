import Classifier

/// How urgent a classified message is. Every rule that raises the priority above normal adds a
/// reason; the priority is the highest level any rule reached, and the reasons are listed most
/// severe first. Anger means `Analysis.negativeTone` (the model's tone threshold).
///
/// - **urgent**: the buyer threatens something (any `threat.*` term: chargeback, dispute, police,
///   lawyer, consumer agency, reporting to the platform, public exposure, bad review), or calls the
///   seller a scammer or fraud (`risk.scam`, `risk.fraud`) in an angry tone.
/// - **high**: any other `risk.*` term (fake, counterfeit; scam/fraud without anger), an angry tone,
///   or an in-scope intent that costs money or a customer when left waiting: complaint,
///   payment_problem, delivery_problem, refund_request, human_agent, cancel_order.
/// - **low** (only when nothing above applies): the message is out of scope, or its intent is
///   greeting, thanks_goodbye or feedback_review (calm, since anger would have raised it).
/// - **normal**: everything else.
///
/// Reasons are short sentences that name the term and category (`threat term "chargeback"
/// (threat.chargeback)`), the tone value (`angry tone 0.91`) or the intent (`intent complaint
/// needs a prompt answer`). Each distinct term is named once.
public enum PriorityRules {
    /// In-scope intents that make a message high priority.
    public static let attentionIntents: Set<String> = [
        "complaint", "payment_problem", "delivery_problem", "refund_request", "human_agent", "cancel_order",
    ]
    /// In-scope intents that make a calm message low priority.
    public static let routineIntents: Set<String> = ["greeting", "thanks_goodbye", "feedback_review"]
    /// Risk categories that become urgent with an angry tone.
    public static let accusations: Set<RiskCategory> = [.scam, .fraud]

    public static func assess(_ analysis: Analysis) -> PriorityAssessment {
        var urgent: [String] = []
        var high: [String] = []
        let angry = analysis.negativeTone
        var angerNamed = false
        for hit in ReasonText.distinct(analysis.risks) {
            if hit.category.isThreat {
                urgent.append(ReasonText.term(hit))
            } else if angry && accusations.contains(hit.category) {
                urgent.append("\(ReasonText.term(hit)) with \(ReasonText.angryTone(analysis.tone))")
                angerNamed = true
            } else {
                high.append(ReasonText.term(hit))
            }
        }
        if angry && !angerNamed { high.append(ReasonText.angryTone(analysis.tone)) }
        let intent = analysis.intent.intent
        if !analysis.intent.isOutOfScope && attentionIntents.contains(intent) {
            high.append("intent \(intent) needs a prompt answer")
        }
        if !urgent.isEmpty { return PriorityAssessment(priority: .urgent, reasons: urgent + high) }
        if !high.isEmpty { return PriorityAssessment(priority: .high, reasons: high) }
        if analysis.intent.isOutOfScope { return PriorityAssessment(priority: .low, reasons: [ReasonText.outOfScope]) }
        let tone = ReasonText.score(analysis.tone)
        if routineIntents.contains(intent) {
            return PriorityAssessment(priority: .low, reasons: ["intent \(intent) with a calm tone \(tone)"])
        }
        return PriorityAssessment(
            priority: .normal, reasons: ["intent \(intent) with a calm tone \(tone) and no risk terms"])
    }
}
