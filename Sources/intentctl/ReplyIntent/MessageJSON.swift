internal import Messages

/// The ReplyIntent answers as JSON objects: keys are the proto field names (snake_case) in field
/// order, every field is present (defaults included) so scripts can rely on the shape, enums are
/// their proto names (`PRIORITY_HIGH`; the number when the value is unknown), 64-bit integers are
/// JSON numbers, and a missing sub-message is `null`.
enum MessageJSON {
    static func classification(_ c: Classification) -> JSONValue {
        .object([
            ("message_id", .string(c.messageID)),
            ("conversation_id", .string(c.conversationID)),
            ("intent", .string(c.intent)),
            ("confidence", .float(c.confidence)),
            ("out_of_scope", .bool(c.outOfScope)),
            ("ranked_intents", .array(c.rankedIntents.map { .object([("intent", .string($0.intent)), ("confidence", .float($0.confidence))]) })),
            ("language", c.language.map { .object([("code", .string($0.code)), ("confidence", .float($0.confidence))]) } ?? .null),
            ("tone_score", .float(c.toneScore)),
            ("angry", .bool(c.angry)),
            ("risk_hits", .array(c.riskHits.map {
                .object([("term", .string($0.term)), ("category", .string($0.category)), ("language", .string($0.language))])
            })),
            ("priority", enumValue(c.priority, isKnown: c.priority.isKnown)),
            ("priority_reasons", .strings(c.priorityReasons)),
            ("model", c.model.map(modelRef) ?? .null),
        ])
    }

    static func modelRef(_ m: ModelRef) -> JSONValue {
        .object([("tenant", .string(m.tenant)), ("name", .string(m.name)), ("version", .string(m.version))])
    }

    static func classifyResponse(_ r: ClassifyIntentResponse) -> JSONValue {
        .object([("classification", r.classification.map(classification) ?? .null)])
    }

    static func suggestResponse(_ r: SuggestReplyResponse) -> JSONValue {
        .object([
            ("classification", r.classification.map(classification) ?? .null),
            ("reply_text", .string(r.replyText)),
            ("reply_language", .string(r.replyLanguage)),
            ("reply_language_source", enumValue(r.replyLanguageSource, isKnown: r.replyLanguageSource.isKnown)),
            ("template_id", .string(r.templateID)),
            ("missing_variables", .strings(r.missingVariables)),
            ("decision", enumValue(r.decision, isKnown: r.decision.isKnown)),
            ("decision_reasons", .strings(r.decisionReasons)),
        ])
    }

    /// One stream answer, shaped like the oneof: `{"classification": {...}}`, `{"alert": {...}}`,
    /// `{"gap": ...}`, `{"subscribed": ...}`, `{"correction_recorded": ...}`, `{"error": ...}`;
    /// `{}` when the server set none.
    static func streamResponse(_ r: StreamConversationsResponse) -> JSONValue {
        switch r.kind {
        case .classification(let c): .object([("classification", classification(c))])
        case .alert(let a): .object([("alert", alert(a))])
        case .gap(let g):
            .object([("gap", .object([
                ("first_missed_sequence", .integer(g.firstMissedSequence)),
                ("last_missed_sequence", .integer(g.lastMissedSequence)),
            ]))])
        case .subscribed(let s):
            .object([("subscribed", .object([
                ("next_sequence", .integer(s.nextSequence)),
                ("oldest_buffered_sequence", .integer(s.oldestBufferedSequence)),
                ("min_priority", enumValue(s.minPriority, isKnown: s.minPriority.isKnown)),
            ]))])
        case .correctionRecorded(let c):
            .object([("correction_recorded", .object([
                ("message_id", .string(c.messageID)),
                ("previous_intent", .string(c.previousIntent)),
                ("corrected_intent", .string(c.correctedIntent)),
            ]))])
        case .error(let e):
            .object([("error", .object([
                ("message_id", .string(e.messageID)), ("code", .integer(e.code)), ("message", .string(e.message)),
            ]))])
        case nil: .object([])
        }
    }

    static func alert(_ a: Alert) -> JSONValue {
        .object([
            ("sequence", .integer(a.sequence)),
            ("conversation_id", .string(a.conversationID)),
            ("message_id", .string(a.messageID)),
            ("buyer_id", .string(a.buyerID)),
            ("platform", enumValue(a.platform, isKnown: a.platform.isKnown)),
            ("priority", enumValue(a.priority, isKnown: a.priority.isKnown)),
            ("reasons", .strings(a.reasons)),
            ("intent", .string(a.intent)),
            ("raised_at_unix_ms", .integer(a.raisedAtUnixMs)),
        ])
    }

    static func modelInfo(_ m: ModelInfo) -> JSONValue {
        .object([
            ("tenant", .string(m.tenant)),
            ("name", .string(m.name)),
            ("version", .string(m.version)),
            ("state", enumValue(m.state, isKnown: m.state.isKnown)),
            ("path", .string(m.path)),
            ("size_bytes", .integer(m.sizeBytes)),
            ("loaded_at_unix_ms", .integer(m.loadedAtUnixMs)),
            ("load_duration_ms", .double(m.loadDurationMs)),
            ("last_used_unix_ms", .integer(m.lastUsedUnixMs)),
            ("last_error", .string(m.lastError)),
            ("last_error_at_unix_ms", .integer(m.lastErrorAtUnixMs)),
        ])
    }

    static func listModelsResponse(_ r: ListModelsResponse) -> JSONValue {
        .object([
            ("models", .array(r.models.map(modelInfo))),
            ("memory_budget_bytes", .integer(r.memoryBudgetBytes)),
            ("memory_used_bytes", .integer(r.memoryUsedBytes)),
        ])
    }

    static func reloadModelsResponse(_ r: ReloadModelsResponse) -> JSONValue {
        .object([("models", .array(r.models.map(modelInfo))), ("changes", .strings(r.changes))])
    }

    /// The proto name of a known value, the number of an unknown one (as proto3 JSON writes them).
    private static func enumValue<E: RawRepresentable & CustomStringConvertible>(_ value: E, isKnown: Bool) -> JSONValue
    where E.RawValue == Int32 {
        isKnown ? .string(value.description) : .integer(value.rawValue)
    }
}
