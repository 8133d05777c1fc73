internal import ArgumentParser
internal import Messages
internal import Posix

/// `intentctl classify "text"`: ReplyIntent/ClassifyIntent for one message.
struct Classify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify one buyer message with a ReplyIntent server (ReplyIntent/ClassifyIntent).",
        discussion: """
            Prints intent and confidence, the ranked intents, language, tone, risk terms, priority with its reasons and \
            the model (name@version); with --json one JSON object ({"classification": {...}}, proto field names). \
            A failed call prints 'intentctl: CODE: message' on stderr and exits with the gRPC status code.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var call: CallOptions
    @OptionGroup var message: MessageOptions

    @Option(name: .customLong("top-k"), help: "How many ranked intents to return (1 to 23; default: the server's, 3).")
    var topK: UInt32?

    @Flag(help: "Print the answer as one JSON object.")
    var json = false

    func validate() throws {
        if let topK, !(1...23).contains(topK) { throw ValidationError("--top-k must be between 1 and 23, got \(topK)") }
    }

    var request: ClassifyIntentRequest {
        ClassifyIntentRequest(message: message.buyerMessage, topK: topK ?? 0, model: message.model ?? "")
    }

    func run() async throws {
        let request = self.request
        let metadata = try call.metadata()
        try await CommandFailure.run(connection: connection) { channel in
            let client = ReplyIntentClient(
                channel: channel, metadata: metadata, timeout: call.timeout(default: .seconds(30)), streamTimeout: nil)
            let response = try await client.classify(request)
            for line in Self.render(response, json: json) { Output.line(line) }
        }
    }

    static func render(_ response: ClassifyIntentResponse, json: Bool) -> [String] {
        if json { return [MessageJSON.classifyResponse(response).serialized] }
        guard let classification = response.classification else { return ["(the server sent no classification)"] }
        return SummaryText.classification(classification)
    }
}
