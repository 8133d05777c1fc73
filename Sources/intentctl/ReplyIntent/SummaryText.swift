internal import Messages

/// The readable answers of `classify` and `suggest` (for people; `--json` is for scripts).
enum SummaryText {
    static func classification(_ c: Classification) -> [String] {
        var lines: [String] = []
        if !c.messageID.isEmpty || !c.conversationID.isEmpty {
            let parts = [
                c.messageID.isEmpty ? nil : "message \(c.messageID)",
                c.conversationID.isEmpty ? nil : "conversation \(c.conversationID)",
            ].compactMap { $0 }
            lines.append(row("for", parts.joined(separator: ", ")))
        }
        lines.append(row("intent", "\(c.intent) \(percent(c.confidence))\(c.outOfScope ? " (out of scope)" : "")"))
        if !c.rankedIntents.isEmpty {
            lines.append(row("ranked", c.rankedIntents.map { "\($0.intent) \(percent($0.confidence))" }.joined(separator: ", ")))
        }
        if let language = c.language { lines.append(row("language", "\(language.code) \(percent(language.confidence))")) }
        lines.append(row("tone", "\(fixed(c.toneScore, digits: 2))\(c.angry ? " (angry)" : "")"))
        lines.append(
            row("risks", c.riskHits.isEmpty ? "none" : c.riskHits.map { "\"\($0.term)\" (\($0.category), \($0.language))" }.joined(separator: ", ")))
        lines.append(row("priority", EnumNames.short(c.priority, prefix: "PRIORITY_")))
        lines += c.priorityReasons.map { "  - \($0)" }
        if let model = c.model { lines.append(row("model", modelName(model))) }
        return lines
    }

    static func suggestion(_ r: SuggestReplyResponse) -> [String] {
        var lines = [row("decision", EnumNames.short(r.decision, prefix: "DECISION_"))]
        lines += r.decisionReasons.map { "  - \($0)" }
        let source = switch r.replyLanguageSource {
        case .buyer: "the buyer's language"
        case .tenantDefault: "the shop's default language"
        case .english: "English fallback"
        default: EnumNames.short(r.replyLanguageSource, prefix: "REPLY_LANGUAGE_SOURCE_")
        }
        lines.append(row("reply", "\(r.replyLanguage) (\(source)), template \(r.templateID)"))
        lines += r.replyText.split(separator: "\n", omittingEmptySubsequences: false).map { "  | \($0)" }
        lines.append(row("missing", r.missingVariables.isEmpty ? "none" : r.missingVariables.joined(separator: ", ")))
        if let c = r.classification {
            lines.append("")
            lines += classification(c)
        }
        return lines
    }

    /// "default@2026.11.20+9f3a02c1", "acme/support-v2@2026.11.20+9f3a02c1".
    static func modelName(_ model: ModelRef) -> String {
        let name = model.tenant.isEmpty ? model.name : "\(model.tenant)/\(model.name)"
        return model.version.isEmpty ? name : "\(name)@\(model.version)"
    }

    static func row(_ label: String, _ value: String) -> String {
        (label + ":").paddedRight(to: 10) + value
    }

    /// 0.9123 → "0.912".
    static func percent(_ value: Float) -> String { fixed(value, digits: 3) }

    /// A fixed-point rendering without Foundation's formatters (which vary with the locale).
    static func fixed(_ value: some BinaryFloatingPoint, digits: Int) -> String {
        let double = Double(value)
        guard double.isFinite else { return "\(double)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(double) * scale).rounded()
        guard scaled < 1e17 else { return "\(double)" }
        let units = Int64(scaled)
        let whole = units / Int64(scale)
        let fraction = String(units % Int64(scale))
        let sign = double < 0 && units != 0 ? "-" : ""
        guard digits > 0 else { return "\(sign)\(whole)" }
        return "\(sign)\(whole)." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}

extension String {
    /// Pads with spaces on the right to `length` characters (never truncates).
    func paddedRight(to length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
