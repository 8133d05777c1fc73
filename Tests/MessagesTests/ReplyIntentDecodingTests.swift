import Messages
import Testing

/// Bad input is refused with an error naming the problem; unknown enum values and fields survive.
@Suite struct ReplyIntentDecodingTests {
    typealias F = ReplyIntentFixtures

    /// The refused string field's path, or nil when decoding did not fail that way.
    func refusedField<M: ProtobufMessage>(_ type: M.Type, _ wire: [UInt8]) -> MessageCodingError? {
        do {
            _ = try M(serializedBytes: wire)
            return nil
        } catch {
            return error
        }
    }

    @Test func unknownEnumValuesSurviveDecoding() throws {
        // BuyerMessage.platform = 99; Classification.priority = 7; SuggestReplyResponse.reply_language_source = 5,
        // decision = 9; ModelInfo.state = 4; BuyerMessage.platform = -1 (ten-byte varint).
        let buyer = try BuyerMessage(serializedBytes: [0x20, 99])
        #expect(buyer.platform.rawValue == 99 && !buyer.platform.isKnown)
        #expect(buyer.serializedBytes() == [0x20, 99])
        let negative = bytes("20ffffffffffffffffff01")
        #expect(try BuyerMessage(serializedBytes: negative).platform == BuyerMessage.Platform(rawValue: -1))
        #expect(try BuyerMessage(serializedBytes: negative).serializedBytes() == negative)
        #expect(try Classification(serializedBytes: [0x58, 7]).priority == Classification.Priority(rawValue: 7))
        let response = try SuggestReplyResponse(serializedBytes: [0x20, 5, 0x38, 9])
        #expect(response.replyLanguageSource.rawValue == 5 && response.decision.rawValue == 9)
        #expect(response.serializedBytes() == [0x20, 5, 0x38, 9])
        #expect(try ModelInfo(serializedBytes: [0x20, 4]).state == ModelInfo.State(rawValue: 4))
        let subscription = try AlertSubscription(serializedBytes: [0x08, 42])
        #expect(subscription.minPriority.rawValue == 42 && !subscription.minPriority.isKnown)
        #expect(try Alert(serializedBytes: [0x28, 50, 0x30, 60]) == Alert(
            platform: BuyerMessage.Platform(rawValue: 50), priority: Classification.Priority(rawValue: 60)))
    }

    @Test func unknownFieldsAreSkipped() throws {
        // field 99 varint 1; field 100 length-delimited "h\0"; field 101 fixed32; field 102 fixed64.
        let unknown: [UInt8] = [0x98, 0x06, 0x01, 0xa2, 0x06, 0x02, 0x68, 0x00, 0xad, 0x06, 1, 2, 3, 4,
                                0xb1, 0x06, 1, 2, 3, 4, 5, 6, 7, 8]
        let golden = F.classifyIntentRequest.serializedBytes()
        #expect(try ClassifyIntentRequest(serializedBytes: unknown + golden + unknown) == F.classifyIntentRequest)
        #expect(try StreamConversationsRequest(serializedBytes: unknown) == StreamConversationsRequest())
        #expect(try ReloadModelsRequest(serializedBytes: unknown) == ReloadModelsRequest())
    }

    @Test(arguments: [
        [0x0a] as [UInt8],                 // length-delimited tag with no length
        [0x0a, 0x05, 0x2a, 0x03, 0x61],    // message claims 5 bytes, 3 follow
        [0x0a, 0x03, 0x2a, 0x05, 0x61],    // text claims 5 bytes inside a 3-byte message
        [0x10],                            // varint tag with no value
        [0x10, 0xff, 0xff],                // unterminated varint
        [0x0f],                            // wire type 7 does not exist
        [0x00, 0x01],                      // field number 0 is invalid
        [0x1a, 0x01],                      // model (string) claims 1 byte, none follow
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
    ])
    func malformedRequestsAreRejected(input: [UInt8]) {
        let error = refusedField(ClassifyIntentRequest.self, input)
        #expect(error != nil)
        #expect(error?.refusedStringField == nil)
        #expect(error?.description.contains("replyintent.v1.ClassifyIntentRequest") == true)
        #expect(throws: MessageCodingError.self) { try SuggestReplyRequest(serializedBytes: input) }
        #expect(throws: MessageCodingError.self) { try StreamConversationsRequest(serializedBytes: input) }
    }

    @Test func everyTruncationInsideAFieldIsRejected() {
        let golden = F.classifyIntentRequest.serializedBytes()
        // Top-level fields: message (2 + 59 bytes), top_k (2), model (12).
        let boundaries: Set<Int> = [0, 61, 63, golden.count]
        for length in 0...golden.count {
            let prefix = Array(golden.prefix(length))
            if boundaries.contains(length) {
                #expect(throws: Never.self, "prefix of \(length) bytes") { try ClassifyIntentRequest(serializedBytes: prefix) }
            } else {
                #expect(throws: MessageCodingError.self, "prefix of \(length) bytes") {
                    try ClassifyIntentRequest(serializedBytes: prefix)
                }
            }
        }
    }

    @Test(arguments: [
        "61fffe",      // 0xff is never UTF-8
        "c0af",        // overlong encoding of "/"
        "eda080",      // UTF-16 surrogate D800
        "e282",        // truncated 3-byte sequence
        "f4908080",    // above U+10FFFF
    ])
    func invalidUTF8TextIsRefusedNamingTheField(textHex: String) {
        let text = bytes(textHex)
        let message: [UInt8] = [0x2a, UInt8(text.count)] + text
        let wire: [UInt8] = [0x0a, UInt8(message.count)] + message + [0x10, 0x03]
        let error = refusedField(ClassifyIntentRequest.self, wire)
        #expect(error?.refusedStringField == "message.text")
        #expect(error?.messageType == "replyintent.v1.ClassifyIntentRequest")
        #expect(error?.byteCount == wire.count)
        #expect(error?.description.contains("message.text is not valid UTF-8") == true)
    }

    @Test func invalidUTF8IsFoundInEveryKindOfStringField() {
        let bad: [UInt8] = [0x02, 0x61, 0xff]  // length 2: "a", 0xff
        // ClassifyIntentRequest.model, BuyerMessage.message_id, a map key and a map value.
        #expect(refusedField(ClassifyIntentRequest.self, [0x1a] + bad)?.refusedStringField == "model")
        #expect(refusedField(BuyerMessage.self, [0x0a] + bad)?.refusedStringField == "message_id")
        let keyEntry: [UInt8] = [0x0a] + bad
        #expect(refusedField(SuggestReplyRequest.self, [0x12, UInt8(keyEntry.count)] + keyEntry)?.refusedStringField
                    == "variables[0].key")
        let valueEntry: [UInt8] = [0x0a, 0x01, 0x6b, 0x12] + bad
        #expect(refusedField(SuggestReplyRequest.self, [0x12, UInt8(valueEntry.count)] + valueEntry)?
                    .refusedStringField == "variables[k]")
        // Repeated messages and repeated strings carry the index.
        var classification = Classification(rankedIntents: [IntentScore(intent: "a"), IntentScore(intent: "b")])
        var wire = classification.serializedBytes()
        wire[wire.lastIndex(of: 0x62)!] = 0xff
        #expect(refusedField(Classification.self, wire)?.refusedStringField == "ranked_intents[1].intent")
        classification = Classification(priorityReasons: ["ok", "b"])
        wire = classification.serializedBytes()
        wire[wire.lastIndex(of: 0x62)!] = 0xff
        #expect(refusedField(Classification.self, wire)?.refusedStringField == "priority_reasons[1]")
        // Inside a oneof member.
        wire = StreamConversationsRequest(kind: .correction(AgentCorrection(agentID: "b"))).serializedBytes()
        wire[wire.lastIndex(of: 0x62)!] = 0xff
        #expect(refusedField(StreamConversationsRequest.self, wire)?.refusedStringField == "correction.agent_id")
        wire = ListModelsResponse(models: [ModelInfo(lastError: "b")]).serializedBytes()
        wire[wire.lastIndex(of: 0x62)!] = 0xff
        #expect(refusedField(ListModelsResponse.self, wire)?.refusedStringField == "models[0].last_error")
    }

    @Test func nulInAStringIsRefusedNamingTheField() {
        // protobuf-c would cut "hi\0 chargeback" to "hi": refuse instead.
        let text = Array("hi\u{0} chargeback".utf8)
        let message: [UInt8] = [0x2a, UInt8(text.count)] + text
        let wire: [UInt8] = [0x0a, UInt8(message.count)] + message
        let error = refusedField(ClassifyIntentRequest.self, wire)
        #expect(error?.refusedStringField == "message.text")
        #expect(error?.description.contains("message.text contains a NUL") == true)
        #expect(refusedField(ClassifyIntentRequest.self, [0x1a, 0x01, 0x00])?.refusedStringField == "model")
        // Map entries are messages with key and value fields.
        #expect(refusedField(SuggestReplyRequest.self, bytes("12060a016b120100"))?.refusedStringField
                    == "variables.value")
        #expect(refusedField(StreamConversationsRequest.self, bytes("12030a0100"))?.refusedStringField
                    == "correction.message_id")
    }

    @Test func zeroBytesOutsideStringsAreFine() throws {
        // Floats with zero bytes, explicit zero varints, empty sub-messages, NUL in unknown fields.
        #expect(try Classification(serializedBytes: F.classification.serializedBytes()) == F.classification)
        #expect(try ClassifyIntentRequest(serializedBytes: bytes("0a0020001000")) == ClassifyIntentRequest(message: BuyerMessage()))
        #expect(try ClassifyIntentRequest(serializedBytes: bytes("0a042a026869" + "a2060100"))
                    == ClassifyIntentRequest(message: BuyerMessage(text: "hi")))
        #expect(try ModelInfo(serializedBytes: F.modelInfo.serializedBytes()) == F.modelInfo)
    }
}
