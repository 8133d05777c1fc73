import Messages
import Testing

/// Every replyintent.v1 message round-trips with every field set and with all defaults.
@Suite struct ReplyIntentMessagesTests {
    typealias F = ReplyIntentFixtures

    /// Encodes, decodes, and checks the value survived and the bytes are stable.
    func expectRoundTrip<M: ProtobufMessage>(_ message: M, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let encoded = message.serializedBytes()
        #expect(!encoded.isEmpty, "\(M.protoName) with fields set encodes to something", sourceLocation: sourceLocation)
        let decoded = try M(serializedBytes: encoded)
        #expect(decoded == message, "\(M.protoName)", sourceLocation: sourceLocation)
        #expect(decoded.serializedBytes() == encoded, "\(M.protoName) re-encodes identically",
                sourceLocation: sourceLocation)
    }

    /// A default message encodes to nothing and nothing decodes to it.
    func expectDefaults<M: ProtobufMessage>(_ message: M, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(message.serializedBytes() == [], "\(M.protoName)", sourceLocation: sourceLocation)
        #expect(try M(serializedBytes: []) == message, "\(M.protoName)", sourceLocation: sourceLocation)
    }

    @Test func everyMessageRoundTripsWithEveryFieldSet() throws {
        try expectRoundTrip(F.buyerMessage)
        try expectRoundTrip(F.classifyIntentRequest)
        try expectRoundTrip(F.classifyIntentResponse)
        try expectRoundTrip(IntentScore(intent: "greeting", confidence: 1))
        try expectRoundTrip(DetectedLanguage(code: "und", confidence: 0.125))
        try expectRoundTrip(F.classification.riskHits[1])
        try expectRoundTrip(F.classification.model!)
        try expectRoundTrip(F.classification)
        try expectRoundTrip(F.suggestReplyRequest)
        try expectRoundTrip(F.suggestReplyResponse)
        try expectRoundTrip(F.agentCorrection)
        try expectRoundTrip(F.alertSubscription)
        try expectRoundTrip(F.alert)
        try expectRoundTrip(F.alertGap)
        try expectRoundTrip(F.subscriptionStarted)
        try expectRoundTrip(F.correctionRecorded)
        try expectRoundTrip(F.streamItemError)
        try expectRoundTrip(F.modelInfo)
        try expectRoundTrip(F.listModelsRequest)
        try expectRoundTrip(F.listModelsResponse)
        try expectRoundTrip(F.reloadModelsResponse)
    }

    @Test func everyMessageHasProto3Defaults() throws {
        try expectDefaults(BuyerMessage())
        try expectDefaults(ClassifyIntentRequest())
        try expectDefaults(ClassifyIntentResponse())
        try expectDefaults(IntentScore())
        try expectDefaults(DetectedLanguage())
        try expectDefaults(RiskHit())
        try expectDefaults(ModelRef())
        try expectDefaults(Classification())
        try expectDefaults(SuggestReplyRequest())
        try expectDefaults(SuggestReplyResponse())
        try expectDefaults(AgentCorrection())
        try expectDefaults(AlertSubscription())
        try expectDefaults(StreamConversationsRequest())
        try expectDefaults(Alert())
        try expectDefaults(AlertGap())
        try expectDefaults(SubscriptionStarted())
        try expectDefaults(CorrectionRecorded())
        try expectDefaults(StreamItemError())
        try expectDefaults(StreamConversationsResponse())
        try expectDefaults(ListModelsRequest())
        try expectDefaults(ModelInfo())
        try expectDefaults(ListModelsResponse())
        try expectDefaults(ReloadModelsRequest())
        try expectDefaults(ReloadModelsResponse())

        let empty = Classification()
        #expect(empty.intent == "" && empty.rankedIntents.isEmpty && empty.language == nil && empty.model == nil)
        #expect(empty.priority == .unspecified && !empty.angry && empty.confidence == 0)
        #expect(ClassifyIntentRequest().message == nil)
    }

    @Test func memberwiseStyleInitsTakeDefaults() throws {
        let request = ClassifyIntentRequest(message: BuyerMessage(text: "hi"), topK: 3)
        #expect(request.message?.text == "hi" && request.topK == 3 && request.model == "")
        #expect(request.message?.platform == .unspecified)
        #expect(try ClassifyIntentRequest(serializedBytes: request.serializedBytes()) == request)
    }

    @Test func absentAndEmptySubmessagesStayDistinct() throws {
        // message {} present is 0x0a 0x00; nil is absent.
        let present = ClassifyIntentRequest(message: BuyerMessage())
        #expect(present.serializedBytes() == [0x0a, 0x00])
        #expect(try ClassifyIntentRequest(serializedBytes: [0x0a, 0x00]).message == BuyerMessage())
        #expect(try ClassifyIntentRequest(serializedBytes: []).message == nil)
        #expect(try Classification(serializedBytes: [0x3a, 0x00]).language == DetectedLanguage())
    }

    @Test(arguments: [
        StreamConversationsRequest.Kind.message(ReplyIntentFixtures.buyerMessage),
        .message(BuyerMessage()),
        .correction(ReplyIntentFixtures.agentCorrection),
        .correction(AgentCorrection()),
        .subscribe(ReplyIntentFixtures.alertSubscription),
        .subscribe(AlertSubscription()),
    ])
    func streamRequestKindsRoundTrip(kind: StreamConversationsRequest.Kind) throws {
        let request = StreamConversationsRequest(kind: kind)
        let encoded = request.serializedBytes()
        // A set oneof member is present on the wire even when all its fields are defaults.
        #expect(!encoded.isEmpty)
        #expect(try StreamConversationsRequest(serializedBytes: encoded) == request)
    }

    @Test(arguments: [
        StreamConversationsResponse.Kind.classification(ReplyIntentFixtures.classification),
        .classification(Classification()),
        .alert(ReplyIntentFixtures.alert),
        .gap(ReplyIntentFixtures.alertGap),
        .subscribed(ReplyIntentFixtures.subscriptionStarted),
        .subscribed(SubscriptionStarted()),
        .correctionRecorded(ReplyIntentFixtures.correctionRecorded),
        .error(ReplyIntentFixtures.streamItemError),
    ])
    func streamResponseKindsRoundTrip(kind: StreamConversationsResponse.Kind) throws {
        let response = StreamConversationsResponse(kind: kind)
        let encoded = response.serializedBytes()
        #expect(!encoded.isEmpty)
        #expect(try StreamConversationsResponse(serializedBytes: encoded) == response)
    }

    @Test func lastOneofMemberOnTheWireWins() throws {
        // message {} then subscribe { min_priority: HIGH, resume_after_sequence: 300 }.
        let wire = bytes("0a00" + "1a05080310ac02")
        #expect(try StreamConversationsRequest(serializedBytes: wire).kind == .subscribe(F.alertSubscription))
        let reversed = bytes("1a05080310ac02" + "0a00")
        #expect(try StreamConversationsRequest(serializedBytes: reversed).kind == .message(BuyerMessage()))
    }

    @Test func variablesEncodeSortedByKey() throws {
        let request = SuggestReplyRequest(variables: ["z": "1", "a": "2", "m": "3", "é": "4", "B": "5"])
        var decodedKeys: [String] = []
        // Each entry is field 2, length-delimited, whose first field is the key.
        let encoded = request.serializedBytes()
        var index = 0
        while index < encoded.count {
            #expect(encoded[index] == 0x12)
            let length = Int(encoded[index + 1])
            let entry = Array(encoded[(index + 2)..<(index + 2 + length)])
            #expect(entry[0] == 0x0a)
            decodedKeys.append(String(decoding: entry[2..<(2 + Int(entry[1]))], as: UTF8.self))
            index += 2 + length
        }
        #expect(decodedKeys == ["B", "a", "m", "z", "é"])
        // Same dictionary built in another order: same bytes.
        var other: [String: String] = [:]
        for key in ["é", "m", "B", "z", "a"] { other[key] = request.variables[key] }
        #expect(SuggestReplyRequest(variables: other).serializedBytes() == encoded)
        #expect(try SuggestReplyRequest(serializedBytes: encoded) == request)
    }

    @Test func variablesKeepTheLastValueOfARepeatedKeyAndDefaultMissingParts() throws {
        // {key "k", value "1"}, {key "k", value "2"}, {value "v"} (no key), {key "x"} (no value).
        let wire = bytes("12060a016b120131" + "12060a016b120132" + "1203120176" + "12030a0178")
        let request = try SuggestReplyRequest(serializedBytes: wire)
        #expect(request.variables == ["k": "2", "": "v", "x": ""])
    }

    @Test func repeatedFieldsKeepOrder() throws {
        let many = (0..<23).map { IntentScore(intent: "intent\($0)", confidence: Float($0) / 23) }
        let classification = Classification(rankedIntents: many, priorityReasons: (0..<10).map { "reason \($0)" })
        let decoded = try Classification(serializedBytes: classification.serializedBytes())
        #expect(decoded.rankedIntents == many)
        #expect(decoded.priorityReasons == classification.priorityReasons)
    }

    @Test func messagesLargerThanTheUnpackArenaRoundTrip() throws {
        // 600 models of 2 wire bytes each unpack into far more C structs than the arena holds,
        // so protobuf-c's allocations spill over to malloc (and are freed).
        let list = ListModelsResponse(models: (0..<600).map { ModelInfo(sizeBytes: UInt64($0)) } + [F.modelInfo])
        let decoded = try ListModelsResponse(serializedBytes: list.serializedBytes())
        #expect(decoded == list)
        let reasons = (0..<2_000).map { "r\($0)" }
        #expect(try Classification(serializedBytes: Classification(priorityReasons: reasons).serializedBytes())
                    .priorityReasons == reasons)
    }

    @Test func largeTextRoundTrips() throws {
        let text = String(repeating: "où est ma commande? 我的订单在哪里 ", count: 600)
        let request = ClassifyIntentRequest(message: BuyerMessage(text: text))
        #expect(try ClassifyIntentRequest(serializedBytes: request.serializedBytes()).message?.text == text)
    }

    @Test func enumsNameTheirValues() {
        #expect(BuyerMessage.Platform.tiktokShop.description == "PLATFORM_TIKTOK_SHOP")
        #expect(BuyerMessage.Platform.other.rawValue == 9)
        #expect(Classification.Priority.urgent > .high && Classification.Priority.low < .normal)
        #expect(Classification.Priority.urgent.description == "PRIORITY_URGENT")
        #expect(SuggestReplyResponse.Decision.autoSend.description == "DECISION_AUTO_SEND")
        #expect(SuggestReplyResponse.LanguageSource.tenantDefault.rawValue == 2)
        #expect(ModelInfo.State.failed.description == "MODEL_STATE_FAILED")
        #expect(BuyerMessage.Platform(rawValue: 10).description == "Platform(10)")
        #expect(BuyerMessage.Platform.whatsapp.isKnown && !BuyerMessage.Platform(rawValue: 10).isKnown)
        #expect(!BuyerMessage.Platform(rawValue: -1).isKnown)
        #expect(Classification.Priority.unspecified.isKnown && !Classification.Priority(rawValue: 5).isKnown)
        #expect(SuggestReplyResponse.Decision.escalate.isKnown && !SuggestReplyResponse.Decision(rawValue: 4).isKnown)
        #expect(SuggestReplyResponse.LanguageSource.english.isKnown)
        #expect(!SuggestReplyResponse.LanguageSource(rawValue: 4).isKnown)
        #expect(ModelInfo.State.loaded.isKnown && !ModelInfo.State(rawValue: 4).isKnown)
    }
}
