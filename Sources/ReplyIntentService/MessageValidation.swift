internal import Messages
internal import RPC

/// A buyer message that passed validation, with its language hint normalized (lower case, nil
/// when absent).
struct ValidatedMessage {
    let message: BuyerMessage
    let languageHint: String?
}

/// Request checks shared by every RPC; each failure is `INVALID_ARGUMENT` with a message that
/// names the field and says what a valid value looks like.
enum MessageValidation {
    /// Checks a request's `message` (field names in errors are `message.<field>`, static strings,
    /// so a valid message costs no string building).
    static func message(
        _ message: BuyerMessage?, requireMessageID: Bool, limits: ServiceLimits
    ) throws(RPCError) -> ValidatedMessage {
        guard let message else {
            throw RPCError(.invalidArgument, "message is missing: send a BuyerMessage with at least its text")
        }
        try text(message.text, field: "message.text", limits: limits)
        if requireMessageID, message.messageID.isEmpty {
            throw RPCError(
                .invalidArgument, "message.message_id is empty: messages in a stream need an id (corrections refer to it)")
        }
        try identifier(message.messageID, field: "message.message_id", limits: limits)
        try identifier(message.conversationID, field: "message.conversation_id", limits: limits)
        try identifier(message.buyerID, field: "message.buyer_id", limits: limits)
        let platforms = BuyerMessage.Platform.knownRawValues
        guard platforms.contains(message.platform.rawValue) else {
            throw RPCError(
                .invalidArgument,
                "message.platform \(message.platform.rawValue) is not a Platform this server knows"
                    + " (\(platforms.lowerBound) to \(platforms.upperBound)); use PLATFORM_OTHER for a channel not listed")
        }
        return ValidatedMessage(
            message: message, languageHint: try languageHint(message.languageHint, field: "message.language_hint"))
    }

    static func text(_ text: String, field: StaticString, limits: ServiceLimits) throws(RPCError) {
        let size = text.utf8.count
        guard size > 0 else {
            throw RPCError(.invalidArgument, "\(field) is empty: send the buyer's message text")
        }
        guard size <= limits.maxTextBytes else {
            throw RPCError(
                .invalidArgument,
                "\(field) is \(size) bytes, over the limit of \(limits.maxTextBytes) bytes: send at most "
                    + "\(limits.maxTextBytes / 1024) KiB of UTF-8 (split or shorten long messages)")
        }
        guard !isOnlyWhitespace(text) else {
            throw RPCError(.invalidArgument, "\(field) contains only whitespace: send the buyer's message text")
        }
    }

    /// Whether every scalar is white space; a text starting with a visible ASCII character (most
    /// do) is answered from its first byte.
    static func isOnlyWhitespace(_ text: String) -> Bool {
        if let first = text.utf8.first, first > 0x20, first < 0x80 { return false }
        return text.unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }

    static func identifier(_ value: String, field: StaticString, limits: ServiceLimits) throws(RPCError) {
        let size = value.utf8.count
        guard size <= limits.maxIdentifierBytes else {
            throw RPCError(
                .invalidArgument, "\(field) is \(size) bytes, over the limit of \(limits.maxIdentifierBytes) bytes")
        }
    }

    /// An ISO 639 code of 2 or 3 letters; upper case is accepted and folded.
    static func languageHint(_ hint: String, field: StaticString) throws(RPCError) -> String? {
        if hint.isEmpty { return nil }
        let bytes = hint.utf8
        guard (2...3).contains(bytes.count),
            bytes.allSatisfy({ (0x61...0x7A).contains($0) || (0x41...0x5A).contains($0) })
        else {
            throw RPCError(
                .invalidArgument,
                "\(field) '\(hint.prefix(16))' is not a language code: use an ISO 639-1 code such as \"es\" or \"th\"")
        }
        return bytes.contains(where: { $0 < 0x61 }) ? hint.lowercased() : hint
    }

    /// `top_k`: 0 means the default; at most every intent.
    static func topK(_ topK: UInt32, limits: ServiceLimits) throws(RPCError) -> Int {
        if topK == 0 { return limits.defaultTopK }
        guard topK <= UInt32(limits.maxTopK) else {
            throw RPCError(
                .invalidArgument,
                "top_k \(topK) is over \(limits.maxTopK), the number of intents: use 1 to \(limits.maxTopK),"
                    + " or 0 for \(limits.defaultTopK)")
        }
        return Int(topK)
    }

    /// SuggestReply's template variables: bounded in number and size, names non-empty.
    static func variables(_ variables: [String: String], limits: ServiceLimits) throws(RPCError) {
        guard variables.count <= limits.maxVariables else {
            throw RPCError(
                .invalidArgument, "variables has \(variables.count) entries, over the limit of \(limits.maxVariables)")
        }
        for (name, value) in variables {
            guard !name.isEmpty else {
                throw RPCError(.invalidArgument, "variables has an entry with an empty name")
            }
            guard name.utf8.count <= limits.maxVariableNameBytes else {
                throw RPCError(
                    .invalidArgument,
                    "variables name '\(name.prefix(32))...' is over the limit of \(limits.maxVariableNameBytes) bytes")
            }
            guard value.utf8.count <= limits.maxVariableValueBytes else {
                throw RPCError(
                    .invalidArgument,
                    "variables[\"\(name)\"] is \(value.utf8.count) bytes, over the limit of \(limits.maxVariableValueBytes) bytes")
            }
        }
    }
}
