import Messages

/// `messages` inputs: [kind] + an encoded message, the kind's index as in the target's
/// `RequestKind` (0 ClassifyIntent, 1 SuggestReply, 2 StreamConversations, 3 ListModels,
/// 4 ReloadModels, 5 SimpleRequest, 6 StreamingInputCall, 7 StreamingOutputCall, 8 Empty, 9 HealthCheck).
enum MessageSeeds {
    static func write(to writer: CorpusWriter) throws {
        let buyer = BuyerMessage(
            messageID: "m-1", conversationID: "c-9", buyerID: "b-7", platform: .shopee,
            text: "¿Dónde está mi pedido #12345? 我的订单", languageHint: "es", sentAtUnixMs: 1_733_000_000_000)
        let seeds: [(String, UInt8, [UInt8])] = [
            ("classify", 0, ClassifyIntentRequest(message: buyer, topK: 3, model: "acme/default").serializedBytes()),
            ("classify-minimal", 0, ClassifyIntentRequest(message: BuyerMessage(text: "hi")).serializedBytes()),
            ("suggest", 1, SuggestReplyRequest(
                message: buyer, variables: ["buyer_name": "Ana", "order_id": "12345", "eta": ""], model: "default"
            ).serializedBytes()),
            ("stream-message", 2, StreamConversationsRequest(kind: .message(buyer)).serializedBytes()),
            ("stream-correction", 2, StreamConversationsRequest(kind: .correction(
                AgentCorrection(messageID: "m-1", conversationID: "c-9", intent: "order_status", agentID: "agent-3"))
            ).serializedBytes()),
            ("stream-subscribe", 2, StreamConversationsRequest(kind: .subscribe(
                AlertSubscription(minPriority: .init(rawValue: 3), resumeAfterSequence: 42))).serializedBytes()),
            ("list-models", 3, ListModelsRequest(tenant: "acme").serializedBytes()),
            ("reload-models", 4, ReloadModelsRequest().serializedBytes()),
            ("simple", 5, SimpleRequest(
                responseSize: 10, payload: Payload(body: [0, 1, 2, 3]), fillUsername: true, responseCompressed: BoolValue(true),
                responseStatus: EchoStatus(code: 2, message: "echo"), expectCompressed: BoolValue(false)
            ).serializedBytes()),
            ("streaming-input", 6, StreamingInputCallRequest(
                payload: Payload(body: Array(repeating: 9, count: 12)), expectCompressed: BoolValue(true)).serializedBytes()),
            ("streaming-output", 7, StreamingOutputCallRequest(
                responseParameters: [ResponseParameters(size: 5, intervalUs: 10, compressed: BoolValue(true))],
                payload: Payload(body: [4, 5]), responseStatus: EchoStatus(code: 0, message: "")).serializedBytes()),
            ("empty", 8, Empty().serializedBytes()),
            ("health", 9, HealthCheckRequest(service: "replyintent.v1.ReplyIntent").serializedBytes()),
        ]
        for (name, kind, bytes) in seeds { try writer.write([kind] + bytes, target: "messages", name: name) }
    }
}
