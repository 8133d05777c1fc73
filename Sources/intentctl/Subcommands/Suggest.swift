internal import ArgumentParser
internal import Messages
internal import Posix

/// `intentctl suggest "text" --var order_id=123`: ReplyIntent/SuggestReply for one message.
struct Suggest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Suggest a reply to one buyer message with a ReplyIntent server (ReplyIntent/SuggestReply).",
        discussion: """
            Prints the decision (auto_send, suggest, escalate) and why, the reply with its language, language source and \
            template id, the template variables the request did not give, then the classification; with --json one \
            JSON object (proto field names). Known variables: buyer_name, shop_name, order_id, tracking_url, eta, \
            product_name, refund_amount, return_address.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var call: CallOptions
    @OptionGroup var message: MessageOptions

    @Option(
        name: .customLong("var"),
        help: ArgumentHelp("A template variable, NAME=VALUE (repeat for more).", valueName: "name=value"))
    var assignments: [String] = []

    @Flag(help: "Print the answer as one JSON object.")
    var json = false

    func validate() throws {
        _ = try Self.variables(assignments)
    }

    /// `["order_id=123", "eta=next week"]` → `["order_id": "123", "eta": "next week"]`; the value
    /// is everything after the first `=` (it may be empty, which the server counts as missing).
    static func variables(_ assignments: [String]) throws -> [String: String] {
        var variables: [String: String] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw ValidationError("--var '\(assignment)' must be NAME=VALUE, e.g. --var order_id=123")
            }
            let name = String(assignment[..<equals])
            let value = String(assignment[assignment.index(after: equals)...])
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw ValidationError("--var '\(assignment)': the name must be letters, digits and _ (e.g. order_id)")
            }
            guard !value.unicodeScalars.contains("\u{0}") else {
                throw ValidationError("--var \(name): the value contains a NUL character, which gRPC strings cannot carry")
            }
            guard variables.updateValue(value, forKey: name) == nil else {
                throw ValidationError("--var \(name) is given twice")
            }
        }
        return variables
    }

    var request: SuggestReplyRequest {
        get throws {
            SuggestReplyRequest(message: message.buyerMessage, variables: try Self.variables(assignments), model: message.model ?? "")
        }
    }

    func run() async throws {
        let request = try self.request
        let metadata = try call.metadata()
        try await CommandFailure.run(connection: connection) { channel in
            let client = ReplyIntentClient(
                channel: channel, metadata: metadata, timeout: call.timeout(default: .seconds(30)), streamTimeout: nil)
            let response = try await client.suggest(request)
            for line in Self.render(response, json: json) { Output.line(line) }
        }
    }

    static func render(_ response: SuggestReplyResponse, json: Bool) -> [String] {
        json ? [MessageJSON.suggestResponse(response).serialized] : SummaryText.suggestion(response)
    }
}
