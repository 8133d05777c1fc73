internal import Messages

/// One line of `intentctl stream`'s input (JSONL) as a `StreamConversationsRequest`.
///
/// A line is one of `{"message": {...}}`, `{"correction": {...}}`, `{"subscribe": {...}}`, or a
/// bare BuyerMessage object (`{"message_id": "m1", "text": "..."}`). Field names are the proto's
/// snake_case names or their proto3-JSON lowerCamelCase spelling; enums take the proto name
/// (`PLATFORM_SHOPEE`), the short name (`shopee`) or the number; 64-bit integers a number or a
/// string of digits. Unknown fields and wrong types are errors naming the field.
enum StreamInput {
    struct LineError: Error, Equatable, CustomStringConvertible {
        let line: Int
        let reason: String
        var description: String { "line \(line): \(reason)" }
    }

    /// Why a value was refused; the caller adds the line number.
    struct FieldError: Error { let reason: String }

    static let kinds = ["message", "correction", "subscribe"]

    /// The request a line asks for; nil for a blank line. A message without a `message_id` gets
    /// `line-<n>` (streams need one, and it ties each answer back to its line).
    static func request(fromLine text: String, lineNumber: Int) throws(LineError) -> StreamConversationsRequest? {
        guard !text.allSatisfy(\.isWhitespace) else { return nil }
        do {
            let value = try JSONParser.parse(text)
            return StreamConversationsRequest(kind: try kind(of: value, lineNumber: lineNumber))
        } catch let error as JSONParser.SyntaxError {
            throw LineError(line: lineNumber, reason: error.description)
        } catch let error as FieldError {
            throw LineError(line: lineNumber, reason: error.reason)
        } catch {
            throw LineError(line: lineNumber, reason: "\(error)")
        }
    }

    private static func kind(of value: JSONValue, lineNumber: Int) throws(FieldError) -> StreamConversationsRequest.Kind {
        guard case .object(let members) = value else {
            throw FieldError(reason: "each line must be a JSON object, got \(value.kindDescription)")
        }
        let kindKeys = members.map(\.0).filter(kinds.contains)
        guard let kindKey = kindKeys.first else {
            return .message(try buyerMessage(value, context: "message", lineNumber: lineNumber))
        }
        guard members.count == 1 else {
            let others = members.map(\.0).filter { $0 != kindKey }.map { "\"\($0)\"" }.joined(separator: ", ")
            throw FieldError(
                reason: "a line with \"\(kindKey)\" must have no other key (found \(others)); "
                    + "send one item per line: message, correction or subscribe")
        }
        let body = members[0].1
        switch kindKey {
        case "message": return .message(try buyerMessage(body, context: "message", lineNumber: lineNumber))
        case "correction": return .correction(try correction(body))
        default: return .subscribe(try subscription(body))
        }
    }

    static func buyerMessage(_ value: JSONValue, context: String, lineNumber: Int) throws(FieldError) -> BuyerMessage {
        let fields = try Fields(
            value, context: context,
            known: ["message_id", "conversation_id", "buyer_id", "platform", "text", "language_hint", "sent_at_unix_ms"])
        var message = BuyerMessage()
        message.messageID = try fields.string("message_id")
        if message.messageID.isEmpty { message.messageID = "line-\(lineNumber)" }
        message.conversationID = try fields.string("conversation_id")
        message.buyerID = try fields.string("buyer_id")
        message.platform = try fields.platform("platform")
        message.text = try fields.string("text")
        message.languageHint = try fields.string("language_hint")
        message.sentAtUnixMs = try fields.int64("sent_at_unix_ms")
        return message
    }

    static func correction(_ value: JSONValue) throws(FieldError) -> AgentCorrection {
        let fields = try Fields(value, context: "correction", known: ["message_id", "conversation_id", "intent", "agent_id"])
        return AgentCorrection(
            messageID: try fields.string("message_id"), conversationID: try fields.string("conversation_id"),
            intent: try fields.string("intent"), agentID: try fields.string("agent_id"))
    }

    static func subscription(_ value: JSONValue) throws(FieldError) -> AlertSubscription {
        let fields = try Fields(value, context: "subscribe", known: ["min_priority", "resume_after_sequence"])
        return AlertSubscription(
            minPriority: try fields.priority("min_priority"), resumeAfterSequence: try fields.uint64("resume_after_sequence"))
    }

    /// An object's members by proto field name, checked against the fields the message has.
    struct Fields {
        let context: String
        private var values: [String: JSONValue] = [:]

        init(_ value: JSONValue, context: String, known: [String]) throws(FieldError) {
            self.context = context
            guard case .object(let members) = value else {
                throw FieldError(reason: "\"\(context)\" must be an object, got \(value.kindDescription)")
            }
            var names: [String: String] = [:]
            for name in known {
                names[name] = name
                names[Self.lowerCamelCase(name)] = name
            }
            for (key, member) in members {
                guard let name = names[key] else {
                    throw FieldError(
                        reason: "unknown field \"\(key)\" in \(context) (known: \(known.joined(separator: ", ")))")
                }
                guard values[name] == nil else {
                    throw FieldError(reason: "\(context).\(name) is given twice (as \(name) and \(Self.lowerCamelCase(name)))")
                }
                values[name] = member
            }
        }

        /// `sent_at_unix_ms` → `sentAtUnixMs`, the proto3 JSON name.
        static func lowerCamelCase(_ name: String) -> String {
            var result = ""
            var upperNext = false
            for character in name {
                if character == "_" {
                    upperNext = true
                } else {
                    result += upperNext ? character.uppercased() : String(character)
                    upperNext = false
                }
            }
            return result
        }

        private func present(_ name: String) -> JSONValue? {
            guard let value = values[name], value != .null else { return nil }
            return value
        }

        func string(_ name: String) throws(FieldError) -> String {
            guard let value = present(name) else { return "" }
            guard case .string(let text) = value else {
                throw FieldError(reason: "\(context).\(name) must be a string, got \(value.kindDescription)")
            }
            guard !text.unicodeScalars.contains("\u{0}") else {
                throw FieldError(reason: "\(context).\(name) contains a NUL character (\\u0000), which gRPC strings cannot carry")
            }
            return text
        }

        /// A number or a string, as text, for the integer fields.
        private func integerText(_ name: String) throws(FieldError) -> String? {
            guard let value = present(name) else { return nil }
            switch value {
            case .number(let text), .string(let text): return text
            default: throw FieldError(reason: "\(context).\(name) must be an integer, got \(value.kindDescription)")
            }
        }

        func int64(_ name: String) throws(FieldError) -> Int64 {
            guard let text = try integerText(name) else { return 0 }
            guard let number = Int64(text) else {
                throw FieldError(reason: "\(context).\(name) must be a whole number that fits in 64 bits, got \(text)")
            }
            return number
        }

        func uint64(_ name: String) throws(FieldError) -> UInt64 {
            guard let text = try integerText(name) else { return 0 }
            guard let number = UInt64(text) else {
                throw FieldError(reason: "\(context).\(name) must be a whole number from 0 to 2^64-1, got \(text)")
            }
            return number
        }

        /// An enum given by name or number.
        private func enumText(_ name: String) throws(FieldError) -> String? {
            guard let value = present(name) else { return nil }
            switch value {
            case .number(let text), .string(let text): return text
            default: throw FieldError(reason: "\(context).\(name) must be a name or a number, got \(value.kindDescription)")
            }
        }

        func platform(_ name: String) throws(FieldError) -> BuyerMessage.Platform {
            guard let text = try enumText(name) else { return .unspecified }
            guard let platform = EnumNames.platform(text) else {
                throw FieldError(reason: "\(context).\(name) \"\(text)\" is not a platform (one of \(EnumNames.platformChoices))")
            }
            return platform
        }

        func priority(_ name: String) throws(FieldError) -> Classification.Priority {
            guard let text = try enumText(name) else { return .unspecified }
            guard let priority = EnumNames.priority(text) else {
                throw FieldError(reason: "\(context).\(name) \"\(text)\" is not a priority (one of \(EnumNames.priorityChoices))")
            }
            return priority
        }
    }
}
