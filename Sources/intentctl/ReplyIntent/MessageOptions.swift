internal import ArgumentParser
internal import Messages

/// The buyer message `classify` and `suggest` send: the text argument and its optional fields.
struct MessageOptions: ParsableArguments {
    @Argument(help: "The buyer's message text.")
    var text: String

    @Option(name: [.customLong("lang"), .customLong("language-hint")], help: "ISO 639-1 language hint, e.g. es.")
    var languageHint: String?

    @Option(help: ArgumentHelp("Where the message came from: \(EnumNames.platformChoices).", valueName: "platform"))
    var platform: String?

    @Option(help: "The model to use (one of the tenant's models); default: the tenant's default.")
    var model: String?

    @Option(name: .customLong("message-id"), help: "The caller's id for the message (echoed back).")
    var messageID: String?

    @Option(name: .customLong("conversation-id"), help: "The conversation the message belongs to.")
    var conversationID: String?

    @Option(name: .customLong("buyer-id"), help: "The buyer's id on the platform.")
    var buyerID: String?

    func validate() throws {
        if let platform, EnumNames.platform(platform) == nil {
            throw ValidationError("--platform '\(platform)' is not a platform: use one of \(EnumNames.platformChoices)")
        }
        for (flag, value) in [("text", Optional(text)), ("--message-id", messageID), ("--conversation-id", conversationID),
                              ("--buyer-id", buyerID), ("--lang", languageHint), ("--model", model)] {
            if let value, value.unicodeScalars.contains("\u{0}") {
                throw ValidationError("\(flag) contains a NUL character, which gRPC strings cannot carry")
            }
        }
    }

    var buyerMessage: BuyerMessage {
        BuyerMessage(
            messageID: messageID ?? "", conversationID: conversationID ?? "", buyerID: buyerID ?? "",
            platform: platform.flatMap(EnumNames.platform) ?? .unspecified, text: text, languageHint: languageHint ?? "")
    }
}
