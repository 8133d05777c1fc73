import ArgumentParser
import Messages
import RPC
import Testing

@testable import intentctl

/// What the ReplyIntent commands print: JSON objects (stable keys), summaries, the models table.
struct ReplyIntentCLIOutputTests {
    static let classification = Classification(
        messageID: "m1", conversationID: "c1", intent: "refund_request", confidence: 0.75, outOfScope: false,
        rankedIntents: [IntentScore(intent: "refund_request", confidence: 0.75), IntentScore(intent: "complaint", confidence: 0.125)],
        language: DetectedLanguage(code: "en", confidence: 0.5), toneScore: 0.875, angry: true,
        riskHits: [RiskHit(term: "chargeback", category: "threat.chargeback", language: "en")], priority: .urgent,
        priorityReasons: ["threat.chargeback term \"chargeback\"", "angry tone 0.88"],
        model: ModelRef(tenant: "acme", name: "support-v2", version: "2026.11.20+9f3a02c1"))

    @Test func classificationJSONHasEveryFieldInProtoOrder() {
        let json = MessageJSON.classifyResponse(ClassifyIntentResponse(classification: Self.classification)).serialized
        #expect(
            json
                == #"{"classification":{"message_id":"m1","conversation_id":"c1","intent":"refund_request","confidence":0.75,"out_of_scope":false,"ranked_intents":[{"intent":"refund_request","confidence":0.75},{"intent":"complaint","confidence":0.125}],"language":{"code":"en","confidence":0.5},"tone_score":0.875,"angry":true,"risk_hits":[{"term":"chargeback","category":"threat.chargeback","language":"en"}],"priority":"PRIORITY_URGENT","priority_reasons":["threat.chargeback term \"chargeback\"","angry tone 0.88"],"model":{"tenant":"acme","name":"support-v2","version":"2026.11.20+9f3a02c1"}}}"#
        )
        // Defaults are written too, so every answer has the same keys.
        #expect(
            MessageJSON.classification(Classification()).serialized
                == #"{"message_id":"","conversation_id":"","intent":"","confidence":0.0,"out_of_scope":false,"ranked_intents":[],"language":null,"tone_score":0.0,"angry":false,"risk_hits":[],"priority":"PRIORITY_UNSPECIFIED","priority_reasons":[],"model":null}"#
        )
    }

    @Test func suggestionJSON() {
        let response = SuggestReplyResponse(
            classification: nil, replyText: "Hola Ana", replyLanguage: "es", replyLanguageSource: .buyer,
            templateID: "default/es/order_status", missingVariables: ["order_id"], decision: .suggest,
            decisionReasons: ["missing variable order_id"])
        #expect(
            MessageJSON.suggestResponse(response).serialized
                == #"{"classification":null,"reply_text":"Hola Ana","reply_language":"es","reply_language_source":"REPLY_LANGUAGE_SOURCE_BUYER","template_id":"default/es/order_status","missing_variables":["order_id"],"decision":"DECISION_SUGGEST","decision_reasons":["missing variable order_id"]}"#
        )
    }

    @Test func streamResponsesAreOneObjectNamedAfterTheirKind() {
        func line(_ kind: StreamConversationsResponse.Kind?) -> String {
            MessageJSON.streamResponse(StreamConversationsResponse(kind: kind)).serialized
        }
        #expect(
            line(.alert(Alert(sequence: 7, conversationID: "c", messageID: "m", buyerID: "b", platform: .lazada, priority: .high, reasons: ["r"], intent: "complaint", raisedAtUnixMs: 1_763_690_000_000)))
                == #"{"alert":{"sequence":7,"conversation_id":"c","message_id":"m","buyer_id":"b","platform":"PLATFORM_LAZADA","priority":"PRIORITY_HIGH","reasons":["r"],"intent":"complaint","raised_at_unix_ms":1763690000000}}"#
        )
        #expect(line(.gap(AlertGap(firstMissedSequence: 2, lastMissedSequence: 9))) == #"{"gap":{"first_missed_sequence":2,"last_missed_sequence":9}}"#)
        #expect(
            line(.subscribed(SubscriptionStarted(nextSequence: 12, oldestBufferedSequence: 1, minPriority: .urgent)))
                == #"{"subscribed":{"next_sequence":12,"oldest_buffered_sequence":1,"min_priority":"PRIORITY_URGENT"}}"#)
        #expect(
            line(.correctionRecorded(CorrectionRecorded(messageID: "m", previousIntent: "other", correctedIntent: "thanks_goodbye")))
                == #"{"correction_recorded":{"message_id":"m","previous_intent":"other","corrected_intent":"thanks_goodbye"}}"#)
        #expect(line(.error(StreamItemError(messageID: "m", code: 3, message: "text is empty"))) == #"{"error":{"message_id":"m","code":3,"message":"text is empty"}}"#)
        #expect(line(nil) == "{}")
        // An enum value this CLI does not know is written as its number.
        #expect(line(.subscribed(SubscriptionStarted(minPriority: .init(rawValue: 9)))).hasSuffix(#""min_priority":9}}"#))
    }

    @Test func modelsJSON() {
        let model = ModelInfo(
            tenant: "", name: "default", version: "v+1", state: .loaded, path: "/m/default.rimodel", sizeBytes: 3 << 20,
            loadedAtUnixMs: 1000, loadDurationMs: 12.5, lastUsedUnixMs: 2000, lastError: "", lastErrorAtUnixMs: 0)
        #expect(
            MessageJSON.listModelsResponse(ListModelsResponse(models: [model], memoryBudgetBytes: 4 << 30, memoryUsedBytes: 3 << 20)).serialized
                == #"{"models":[{"tenant":"","name":"default","version":"v+1","state":"MODEL_STATE_LOADED","path":"/m/default.rimodel","size_bytes":3145728,"loaded_at_unix_ms":1000,"load_duration_ms":12.5,"last_used_unix_ms":2000,"last_error":"","last_error_at_unix_ms":0}],"memory_budget_bytes":4294967296,"memory_used_bytes":3145728}"#
        )
        #expect(MessageJSON.reloadModelsResponse(ReloadModelsResponse(models: [], changes: ["loaded a/b v"])).serialized == #"{"models":[],"changes":["loaded a/b v"]}"#)
    }

    @Test func classificationSummaryNamesEveryPart() {
        let lines = SummaryText.classification(Self.classification)
        #expect(
            lines == [
                "for:      message m1, conversation c1",
                "intent:   refund_request 0.750",
                "ranked:   refund_request 0.750, complaint 0.125",
                "language: en 0.500",
                "tone:     0.88 (angry)",
                "risks:    \"chargeback\" (threat.chargeback, en)",
                "priority: urgent",
                "  - threat.chargeback term \"chargeback\"",
                "  - angry tone 0.88",
                "model:    acme/support-v2@2026.11.20+9f3a02c1",
            ])
    }

    @Test func suggestionSummaryLeadsWithTheDecision() {
        let response = SuggestReplyResponse(
            classification: Self.classification, replyText: "Hi!\nWe are on it.", replyLanguage: "en", replyLanguageSource: .english,
            templateID: "default/en/refund_request", missingVariables: ["order_id", "refund_amount"], decision: .escalate,
            decisionReasons: ["threat.chargeback term"])
        let lines = SummaryText.suggestion(response)
        #expect(
            Array(lines.prefix(6)) == [
                "decision: escalate",
                "  - threat.chargeback term",
                "reply:    en (English fallback), template default/en/refund_request",
                "  | Hi!",
                "  | We are on it.",
                "missing:  order_id, refund_amount",
            ])
        #expect(lines.contains("intent:   refund_request 0.750"))
        #expect(Suggest.render(response, json: true).count == 1)
    }

    @Test func modelsTableAlignsItsColumns() {
        let models = [
            ModelInfo(
                tenant: "", name: "default", version: "2026.11.20+9f3a02c1", state: .loaded, sizeBytes: 5_505_024,
                loadedAtUnixMs: 1_763_695_205_000, loadDurationMs: 41.26),
            ModelInfo(
                tenant: "acme", name: "support-v2", state: .failed, sizeBytes: 1024, lastError: "checksum mismatch\nat byte 9",
                lastErrorAtUnixMs: 1_763_695_206_000),
        ]
        let lines = Models.List.render(ListModelsResponse(models: models, memoryBudgetBytes: 1 << 30, memoryUsedBytes: 5_505_024), json: false)
        #expect(
            lines == [
                "TENANT    NAME        VERSION              STATE   SIZE MIB  LOADED AT (UTC)       LOAD MS  LAST ERROR",
                "(shared)  default     2026.11.20+9f3a02c1  loaded  5.3       2025-11-21T03:20:05Z  41.3     -",
                "acme      support-v2  -                    failed  0.0       -                     -        2025-11-21T03:20:06Z: checksum mismatch at byte 9",
                "memory: 5.3 MiB used of 1024.0 MiB",
            ])
        let reload = Models.Reload.render(ReloadModelsResponse(models: [], changes: []), json: false)
        #expect(reload.first == "no changes")
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"), (951_782_400_000, "2000-02-29T00:00:00Z"), (1_763_695_205_999, "2025-11-21T03:20:05Z"),
        (-1, "1969-12-31T23:59:59Z"), (4_102_444_800_000, "2100-01-01T00:00:00Z"),
    ])
    func timestampsAreUTC(ms: Int64, text: String) {
        #expect(ModelTable.timestamp(ms) == text)
    }

    @Test func fixedPointFormatting() {
        #expect(SummaryText.fixed(0.9125, digits: 3) == "0.913")
        #expect(SummaryText.fixed(-0.04, digits: 1) == "0.0")
        #expect(SummaryText.fixed(-1.25, digits: 1) == "-1.3")
        #expect(SummaryText.fixed(12.0, digits: 0) == "12")
    }

    @Test func failedCallsPrintTheCodeNameAndExitWithTheCode() {
        let error = RPCError(.unauthenticated, "unknown token")
        #expect(CommandFailure.line(for: error) == "intentctl: UNAUTHENTICATED: unknown token")
        #expect(CommandFailure.exitCode(for: error) == ExitCode(16))
        #expect(CommandFailure.line(for: RPCError(.notFound, "")) == "intentctl: NOT_FOUND")
        #expect(CommandFailure.exitCode(for: RPCError(.ok, "odd")) == ExitCode(1))
    }
}
