import Messages

/// ReplyIntent messages with every field set (non-default), shared by the ReplyIntent tests.
enum ReplyIntentFixtures {
    static let buyerMessage = BuyerMessage(
        messageID: "m-1", conversationID: "c-9", buyerID: "b7", platform: .shopee,
        text: "¿Dónde está mi pedido? 🙂", languageHint: "es", sentAtUnixMs: 1_763_690_000_123)

    static let classification = Classification(
        messageID: "m-1", conversationID: "c-9", intent: "order_status", confidence: 0.875, outOfScope: true,
        rankedIntents: [
            IntentScore(intent: "order_status", confidence: 0.875),
            IntentScore(intent: "shipping_info", confidence: 0.0625),
        ],
        language: DetectedLanguage(code: "es", confidence: 0.5), toneScore: 0.25, angry: true,
        riskHits: [
            RiskHit(term: "chargeback", category: "threat.chargeback", language: "en"),
            RiskHit(term: "诈骗", category: "risk.scam", language: "zh"),
        ],
        priority: .urgent, priorityReasons: ["threat.chargeback term \"chargeback\"", "angry tone 0.91"],
        model: ModelRef(tenant: "acme", name: "support-v2", version: "2026.11.20+9f3a02c1"))

    static let modelInfo = ModelInfo(
        tenant: "acme", name: "support-v2", version: "1+abc", state: .evicted, path: "/m/x.rimodel",
        sizeBytes: 123_456_789, loadedAtUnixMs: 1_763_690_000_123, loadDurationMs: 12.5,
        lastUsedUnixMs: 1_763_690_000_999, lastError: "checksum mismatch", lastErrorAtUnixMs: -1)

    static let classifyIntentRequest = ClassifyIntentRequest(message: buyerMessage, topK: 5, model: "support-v2")
    static let classifyIntentResponse = ClassifyIntentResponse(classification: classification)
    static let suggestReplyRequest = SuggestReplyRequest(
        message: buyerMessage, variables: ["order_id": "A-1", "buyer_name": "Ana", "shop_name": "Tienda", "eta": ""],
        model: "m")
    static let suggestReplyResponse = SuggestReplyResponse(
        classification: classification, replyText: "Hola Ana", replyLanguage: "es",
        replyLanguageSource: .tenantDefault, templateID: "acme/es/refund_request",
        missingVariables: ["order_id", "tracking_url"], decision: .escalate,
        decisionReasons: ["missing variable order_id", "intent complaint always goes to a human"])
    static let agentCorrection = AgentCorrection(
        messageID: "m-1", conversationID: "c", intent: "refund_status", agentID: "ag")
    static let alertSubscription = AlertSubscription(minPriority: .high, resumeAfterSequence: 300)
    static let alert = Alert(
        sequence: 42, conversationID: "c", messageID: "m", buyerID: "b", platform: .other, priority: .urgent,
        reasons: ["x", "y"], intent: "complaint", raisedAtUnixMs: 1_763_690_000_123)
    static let alertGap = AlertGap(firstMissedSequence: 7, lastMissedSequence: 1_000_000)
    static let subscriptionStarted = SubscriptionStarted(nextSequence: 9, oldestBufferedSequence: 2, minPriority: .urgent)
    static let correctionRecorded = CorrectionRecorded(
        messageID: "m-1", previousIntent: "refund_request", correctedIntent: "refund_status")
    static let streamItemError = StreamItemError(messageID: "m", code: 3, message: "text is empty")
    static let listModelsRequest = ListModelsRequest(tenant: "acme")
    static let listModelsResponse = ListModelsResponse(
        models: [modelInfo, ModelInfo(name: "default", state: .loaded)], memoryBudgetBytes: 4_294_967_296,
        memoryUsedBytes: 1)
    static let reloadModelsResponse = ReloadModelsResponse(
        models: [modelInfo], changes: ["loaded acme/support-v2 1+abc", "kept x"])
}
