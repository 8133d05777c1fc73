import Messages
import Testing

/// Golden bytes produced once by the Python protobuf package (7.36.2, `SerializeToString(deterministic=True)`)
/// from Protos/replyintent/v1/*.proto, so our encoding is pinned to the reference implementation.
@Suite struct ReplyIntentGoldenBytesTests {
    typealias F = ReplyIntentFixtures

    func expectGolden<M: ProtobufMessage>(
        _ message: M, _ golden: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(hex(message.serializedBytes()) == golden, sourceLocation: sourceLocation)
        #expect(try M(serializedBytes: bytes(golden)) == message, sourceLocation: sourceLocation)
    }

    @Test func classifyIntentRequest() throws {
        try expectGolden(
            F.classifyIntentRequest,
            "0a3b0a036d2d311203632d391a02623720022a1ec2bf44c3b36e646520657374c3a1206d692070656469646f3f20f09f9982"
                + "3202657338fbddf6a0aa3310051a0a737570706f72742d7632")
        try expectGolden(ClassifyIntentRequest(message: BuyerMessage(text: "hi"), topK: 3), "0a042a0268691003")
    }

    @Test func classifyIntentResponse() throws {
        var classification = F.classification
        classification.outOfScope = false
        classification.riskHits.removeLast()
        classification.model = ModelRef(name: "default", version: "2026.11.20+9f3a02c1")
        try expectGolden(
            ClassifyIntentResponse(classification: classification),
            "0ad7010a036d2d311203632d391a0c6f726465725f737461747573250000603f32130a0c6f726465725f7374617475731500"
                + "00603f32140a0d7368697070696e675f696e666f150000803d3a090a026573150000003f450000803e480152230a0a63"
                + "68617267656261636b12117468726561742e6368617267656261636b1a02656e580462237468726561742e6368617267"
                + "656261636b207465726d20226368617267656261636b22620f616e67727920746f6e6520302e39316a1e120764656661"
                + "756c741a13323032362e31312e32302b3966336130326331")
    }

    @Test func suggestReply() throws {
        try expectGolden(
            SuggestReplyRequest(
                message: BuyerMessage(text: "refund?"),
                variables: ["order_id": "A-1", "buyer_name": "Ana", "shop_name": "Tienda"], model: "m"),
            "0a092a07726566756e643f12110a0a62757965725f6e616d651203416e61120f0a086f726465725f69641203412d311213"
                + "0a0973686f705f6e616d6512065469656e64611a016d")
        try expectGolden(
            SuggestReplyResponse(
                classification: Classification(intent: "refund_request"), replyText: "Hola Ana", replyLanguage: "es",
                replyLanguageSource: .tenantDefault, templateID: "acme/es/refund_request",
                missingVariables: ["order_id"], decision: .escalate, decisionReasons: ["missing variable order_id"]),
            "0a101a0e726566756e645f726571756573741208486f6c6120416e611a02657320022a1661636d652f65732f726566756e"
                + "645f7265717565737432086f726465725f6964380342196d697373696e67207661726961626c65206f726465725f6964")
    }

    @Test func streamConversations() throws {
        try expectGolden(
            StreamConversationsRequest(kind: .correction(F.agentCorrection)),
            "121b0a036d2d311201631a0d726566756e645f73746174757322026167")
        try expectGolden(StreamConversationsRequest(kind: .subscribe(F.alertSubscription)), "1a05080310ac02")
        try expectGolden(StreamConversationsRequest(kind: .message(BuyerMessage())), "0a00")
        var alert = F.alert
        alert.reasons = ["x"]
        try expectGolden(
            StreamConversationsResponse(kind: .alert(alert)),
            "1224082a1201631a016d220162280930043a01784209636f6d706c61696e7448fbddf6a0aa33")
        try expectGolden(StreamConversationsResponse(kind: .error(F.streamItemError)), "32140a016d10031a0d7465787420697320656d707479")
    }

    @Test func adminMessages() throws {
        try expectGolden(
            ListModelsResponse(models: [F.modelInfo], memoryBudgetBytes: 4_294_967_296, memoryUsedBytes: 1),
            "0a630a0461636d65120a737570706f72742d76321a05312b61626320022a0c2f6d2f782e72696d6f64656c30959aef3a38fb"
                + "ddf6a0aa3341000000000000294048e7e4f6a0aa335211636865636b73756d206d69736d6174636858ffffffffffffff"
                + "ffff011080808080101801")
        try expectGolden(
            ReloadModelsResponse(
                models: [ModelInfo(name: "default", state: .loaded)], changes: ["loaded acme/support-v2 1+abc", "kept x"]),
            "0a0b120764656661756c742001121c6c6f616465642061636d652f737570706f72742d763220312b61626312066b6570742078")
    }
}
