import ArgumentParser
import GRPCTransport
import Messages
import RPC
import Testing

@testable import intentctl

/// The command lines of `classify`, `suggest`, `stream` and `models`, and what they send.
struct ReplyIntentCLIParsingTests {
    private func parse<Command: ParsableCommand>(_ arguments: [String], as: Command.Type) throws -> Command {
        try #require(try IntentCtl.parseAsRoot(arguments) as? Command)
    }

    @Test func classifyBuildsTheRequest() throws {
        let command = try parse(
            [
                "classify", "¿dónde está mi pedido?", "--server_port", "7000", "--lang", "es", "--platform", "shopee",
                "--top-k", "5", "--model", "support-v2", "--message-id", "m1", "--conversation-id", "c1", "--json",
            ], as: Classify.self)
        #expect(command.json)
        #expect(
            command.request
                == ClassifyIntentRequest(
                    message: BuyerMessage(messageID: "m1", conversationID: "c1", platform: .shopee, text: "¿dónde está mi pedido?", languageHint: "es"),
                    topK: 5, model: "support-v2"))
        let plain = try parse(["classify", "hi", "--server_port", "7000"], as: Classify.self)
        #expect(plain.request == ClassifyIntentRequest(message: BuyerMessage(text: "hi"), topK: 0, model: ""))
        #expect(!plain.json)
    }

    @Test(arguments: [
        ["classify", "hi", "--server_port", "7000", "--top-k", "0"],
        ["classify", "hi", "--server_port", "7000", "--top-k", "24"],
        ["classify", "hi", "--server_port", "7000", "--platform", "ebay"],
        ["classify", "--server_port", "7000"],
        ["classify", "hi"],
        ["classify", "hi", "--server_port", "7000", "--deadline", "0"],
        ["classify", "hi", "--server_port", "7000", "--token", "two words"],
        ["classify", "hi", "--server_port", "7000", "--client_cert", "c.pem"],
        ["classify", "hi", "--server_port", "7000", "--client_cert", "c.pem", "--client_key", "k.pem"],
    ])
    func classifyRejectsBadArguments(arguments: [String]) {
        #expect(throws: (any Error).self) { try IntentCtl.parseAsRoot(arguments) }
    }

    @Test func suggestParsesVariables() throws {
        let command = try parse(
            [
                "suggest", "where is my order", "--server_port", "7000", "--var", "order_id=123", "--var", "eta=next week",
                "--var", "tracking_url=https://t.example/?a=b", "--var", "buyer_name=",
            ], as: Suggest.self)
        let request = try command.request
        #expect(request.message?.text == "where is my order")
        #expect(
            request.variables == ["order_id": "123", "eta": "next week", "tracking_url": "https://t.example/?a=b", "buyer_name": ""])
    }

    @Test(arguments: [["order_id"], ["=123"], ["order id=1"], ["a=1", "a=2"]])
    func suggestRejectsBadVariables(assignments: [String]) {
        #expect(throws: ValidationError.self) { try Suggest.variables(assignments) }
        let arguments = ["suggest", "hi", "--server_port", "1"] + assignments.flatMap { ["--var", $0] }
        #expect(throws: (any Error).self) { try IntentCtl.parseAsRoot(arguments) }
    }

    @Test func tokenComesFromTheFlagOrTheEnvironment() throws {
        let withFlag = try parse(["classify", "x", "--server_port", "1", "--token", "s3cret"], as: Classify.self)
        #expect(try withFlag.call.metadata(environment: ["REPLYINTENT_TOKEN": "other"]).first("authorization") == "Bearer s3cret")
        let withoutFlag = try parse(["classify", "x", "--server_port", "1"], as: Classify.self)
        #expect(try withoutFlag.call.metadata(environment: ["REPLYINTENT_TOKEN": "from-env"]).first("authorization") == "Bearer from-env")
        #expect(try withoutFlag.call.metadata(environment: [:]).isEmpty)
        #expect(throws: ValidationError.self) { try withoutFlag.call.metadata(environment: ["REPLYINTENT_TOKEN": "bad token\n"]) }
    }

    @Test func deadlineBecomesTheCallTimeout() throws {
        let command = try parse(["classify", "x", "--server_port", "1", "--deadline", "2.5"], as: Classify.self)
        #expect(command.call.timeout(default: .seconds(30)) == .milliseconds(2500))
        let plain = try parse(["classify", "x", "--server_port", "1"], as: Classify.self)
        #expect(plain.call.timeout(default: .seconds(30)) == .seconds(30))
        #expect(plain.call.timeout(default: nil) == nil)
    }

    @Test func mutualTLSFlagsReachTheChannel() throws {
        let command = try parse(
            [
                "models", "list", "--server_port", "1", "--use_tls", "--ca_file", "ca.pem", "--client_cert", "c.pem",
                "--client-key", "k.pem", "--tenant", "acme",
            ], as: Models.List.self)
        let tls = try #require(command.connection.channelConfiguration.tls)
        #expect(tls.caFile == "ca.pem")
        #expect(tls.certificateFile == "c.pem")
        #expect(tls.privateKeyFile == "k.pem")
        #expect(command.tenant == "acme")
    }

    @Test func modelsReloadParses() throws {
        let command = try parse(["models", "reload", "--server_port", "1", "--json"], as: Models.Reload.self)
        #expect(command.json)
    }

    @Test func streamSubscribesWithItsOptions() throws {
        let command = try parse(
            [
                "stream", "--server_port", "1", "--subscribe", "--min-priority", "urgent", "--resume-after", "41",
                "--max-alerts", "3", "--for", "1.5",
            ], as: StreamCommand.self)
        let session = command.session
        #expect(session.subscription == AlertSubscription(minPriority: .urgent, resumeAfterSequence: 41))
        #expect(session.maxAlerts == 3)
        #expect(session.duration == .milliseconds(1500))
        #expect(command.inputPath == nil)
    }

    @Test func streamLimitsAlsoServeASubscriptionFromTheInput() throws {
        let command = try parse(["stream", "in.jsonl", "--server_port", "1", "--max-alerts", "2", "--for", "3"], as: StreamCommand.self)
        #expect(command.session.subscription == nil)
        #expect(command.session.maxAlerts == 2)
        #expect(command.session.duration == .seconds(3))
    }

    @Test func streamReadsStdinOrAFile() throws {
        let plain = try parse(["stream", "--server_port", "1"], as: StreamCommand.self)
        #expect(plain.inputPath == "-")
        #expect(plain.session.subscription == nil)
        let file = try parse(["stream", "in.jsonl", "--server_port", "1", "--subscribe"], as: StreamCommand.self)
        #expect(file.inputPath == "in.jsonl")
        #expect(file.session.subscription == AlertSubscription(minPriority: .unspecified, resumeAfterSequence: 0))
    }

    @Test(arguments: [
        ["stream", "--server_port", "1", "--min-priority", "high"],
        ["stream", "--server_port", "1", "--resume-after", "3"],
        ["stream", "--server_port", "1", "--subscribe", "--min-priority", "severe"],
        ["stream", "--server_port", "1", "--subscribe", "--max-alerts", "0"],
        ["stream", "--server_port", "1", "--subscribe", "--for", "-1"],
    ])
    func streamRejectsBadOptions(arguments: [String]) {
        #expect(throws: (any Error).self) { try IntentCtl.parseAsRoot(arguments) }
    }

    @Test func enumNamesAcceptProtoShortAndNumericSpellings() {
        #expect(EnumNames.platform("PLATFORM_TIKTOK_SHOP") == .tiktokShop)
        #expect(EnumNames.platform("TikTok-Shop") == .tiktokShop)
        #expect(EnumNames.platform("8") == .whatsapp)
        #expect(EnumNames.platform("10") == nil)
        #expect(EnumNames.priority("PRIORITY_URGENT") == .urgent)
        #expect(EnumNames.priority("high") == .high)
        #expect(EnumNames.priority("5") == nil)
        #expect(EnumNames.short(Classification.Priority.urgent, prefix: "PRIORITY_") == "urgent")
        #expect(EnumNames.short(Classification.Priority(rawValue: 9), prefix: "PRIORITY_") == "Priority(9)")
    }
}
