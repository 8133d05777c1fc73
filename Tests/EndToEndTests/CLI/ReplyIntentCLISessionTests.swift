import ArgumentParser
import Foundation
import GRPCTransport
import Messages
import RPC
import Synchronization
import Testing

@testable import intentctl

/// The CLI's call code over real loopback sockets, against a scripted stand-in for the
/// ReplyIntent service (the real one is exercised in ReplyIntentCLIServerTests).
struct ReplyIntentCLISessionTests {
    // MARK: The stand-in service

    /// `/replyintent.v1.ReplyIntent/*` and `ReplyIntentAdmin/*` with the wire contract only:
    /// the token must be "good"; classifications echo the text as the intent; a subscription
    /// gets `subscribed`, then `alertCount` alerts, then waits for the client to end the call;
    /// a message whose text is "fail" ends the call with INVALID_ARGUMENT.
    struct ScriptedReplyIntent: RPCService {
        var alertCount = 5

        static func authorize(_ metadata: Metadata) throws {
            guard metadata.first("authorization") == "Bearer good" else {
                throw RPCError(.unauthenticated, "unknown token")
            }
        }

        static func classification(_ message: BuyerMessage, topK: UInt32 = 3) -> Classification {
            Classification(
                messageID: message.messageID, conversationID: message.conversationID, intent: "echo:\(message.text)",
                confidence: 0.5, rankedIntents: (0..<Int(topK)).map { IntentScore(intent: "i\($0)", confidence: 0.1) },
                priority: .normal, model: ModelRef(name: "default", version: "1+abc"))
        }

        func register(into router: inout Router) {
            func path(_ service: String, _ method: String) -> MethodPath { MethodPath(service: service, method: method) }
            let service = "replyintent.v1.ReplyIntent"
            let admin = "replyintent.v1.ReplyIntentAdmin"
            router.register(path(service, "ClassifyIntent"), .unary { bytes, context in
                try Self.authorize(context.requestMetadata)
                let request = try ClassifyIntentRequest(serializedBytes: bytes)
                guard let message = request.message, !message.text.isEmpty else {
                    throw RPCError(.invalidArgument, "message.text is empty")
                }
                return ClassifyIntentResponse(classification: Self.classification(message, topK: request.topK == 0 ? 3 : request.topK))
                    .serializedBytes()
            })
            router.register(path(service, "SuggestReply"), .unary { bytes, context in
                try Self.authorize(context.requestMetadata)
                let request = try SuggestReplyRequest(serializedBytes: bytes)
                return SuggestReplyResponse(
                    classification: request.message.map { Self.classification($0) },
                    replyText: request.variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";"),
                    replyLanguage: "en", replyLanguageSource: .buyer, templateID: "default/en/order_status", decision: .suggest,
                    decisionReasons: ["model \(request.model)"]
                ).serializedBytes()
            })
            router.register(path(admin, "ListModels"), .unary { bytes, context in
                try Self.authorize(context.requestMetadata)
                let request = try ListModelsRequest(serializedBytes: bytes)
                return ListModelsResponse(models: [ModelInfo(tenant: request.tenant, name: "default", state: .loaded)]).serializedBytes()
            })
            router.register(path(admin, "ReloadModels"), .unary { _, context in
                try Self.authorize(context.requestMetadata)
                throw RPCError(.permissionDenied, "admin RPCs need an admin token")
            })
            let alertCount = self.alertCount
            router.register(path(service, "StreamConversations"), .streaming { call in
                try Self.authorize(call.info.requestMetadata)
                var subscribed = false
                for try await received in call.requests {
                    let request = try StreamConversationsRequest(serializedBytes: received.bytes)
                    var response = StreamConversationsResponse()
                    switch request.kind {
                    case .message(let message):
                        if message.text == "fail" { throw RPCError(.invalidArgument, "the scripted server fails on 'fail'") }
                        response.kind = .classification(Self.classification(message))
                    case .correction(let correction):
                        response.kind = .correctionRecorded(
                            CorrectionRecorded(messageID: correction.messageID, correctedIntent: correction.intent))
                    case .subscribe(let subscription):
                        subscribed = true
                        response.kind = .subscribed(SubscriptionStarted(nextSequence: 1, minPriority: subscription.minPriority))
                        try await call.responses.send(response.serializedBytes())
                        for sequence in 1...UInt64(alertCount) {
                            let alert = Alert(sequence: sequence, messageID: "a\(sequence)", priority: .urgent, intent: "complaint")
                            try await call.responses.send(StreamConversationsResponse(kind: .alert(alert)).serializedBytes())
                        }
                        continue
                    case nil:
                        response.kind = .error(StreamItemError(code: 3, message: "no item"))
                    }
                    try await call.responses.send(response.serializedBytes())
                }
                if subscribed { try await Task.sleep(for: .seconds(120)) }  // until the client ends the call
                return [:]
            })
        }
    }

    /// Collects printed lines.
    final class Printed: Sendable {
        private let storage = Mutex<[String]>([])
        func append(_ line: String) { storage.withLock { $0.append(line) } }
        var lines: [String] { storage.withLock { $0 } }
    }

    private func withScriptedServer(
        alertCount: Int = 5, _ body: (TestServer, ReplyIntentClient) async throws -> Void
    ) async throws {
        var router = Router()
        router.register(ScriptedReplyIntent(alertCount: alertCount))
        try await withServer(.h2c, router: router) { server, channel in
            let client = ReplyIntentClient(
                channel: channel, metadata: ["authorization": "Bearer good"], timeout: .seconds(30), streamTimeout: .seconds(60))
            try await body(server, client)
        }
    }

    private func session(
        subscription: AlertSubscription? = nil, maxAlerts: Int? = nil, duration: Duration? = nil
    ) -> (StreamSession, Printed, Printed) {
        let output = Printed()
        let errors = Printed()
        let session = StreamSession(
            subscription: subscription, maxAlerts: maxAlerts, duration: duration, output: { output.append($0) },
            report: { errors.append($0) })
        return (session, output, errors)
    }

    // MARK: stream

    @Test func streamPrintsEachAnswerInOrderAndSkipsBadLines() async throws {
        try await withScriptedServer { _, client in
            let (session, output, errors) = session()
            let input = InputLines.fixed([
                .text(line: 1, #"{"message": {"message_id": "m1", "text": "hi"}}"#),
                .text(line: 2, #"{"message": {"text": "unterminated}"#),
                .text(line: 3, #"{"correction": {"message_id": "m1", "intent": "greeting"}}"#),
                .text(line: 4, "   "),
                .unreadable(line: 5, reason: "the line is not valid UTF-8"),
                .text(line: 6, #"{"text": "bare", "platform": "amazon"}"#),
            ])
            let outcome = await session.run(client.streamConversations(), input: input)
            #expect(outcome == StreamSession.Outcome(failure: nil, sentItems: 3, skippedLines: 2, responses: 3, alerts: 0))
            let lines = output.lines
            #expect(lines.count == 3)
            #expect(lines.first?.hasPrefix(#"{"classification":{"message_id":"m1","conversation_id":"","intent":"echo:hi","#) == true)
            #expect(lines.dropFirst().first == #"{"correction_recorded":{"message_id":"m1","previous_intent":"","corrected_intent":"greeting"}}"#)
            #expect(lines.last?.contains(#""message_id":"line-6","conversation_id":"","intent":"echo:bare""#) == true)
            #expect(
                errors.lines == [
                    "intentctl: line 2: invalid JSON at column 22: unterminated string; line skipped",
                    "intentctl: line 5: the line is not valid UTF-8; line skipped",
                ])
        }
    }

    @Test func streamStopsAfterMaxAlerts() async throws {
        try await withScriptedServer(alertCount: 5) { _, client in
            let (session, output, _) = session(subscription: AlertSubscription(minPriority: .urgent), maxAlerts: 2)
            let outcome = await session.run(client.streamConversations(), input: nil)
            #expect(outcome.failure == nil)
            #expect(outcome.alerts == 2)
            let lines = output.lines
            #expect(lines.first == #"{"subscribed":{"next_sequence":1,"oldest_buffered_sequence":0,"min_priority":"PRIORITY_URGENT"}}"#)
            #expect(lines.count == 3)
            #expect(lines.last?.hasPrefix(#"{"alert":{"sequence":2,"#) == true)
        }
    }

    @Test func streamStopsWhenItsTimeIsUp() async throws {
        // The scripted server never ends a subscribed stream: only the time limit can end it,
        // and ending it that way is not a failure. (What arrived before is not checked: that
        // depends on how fast this machine is.)
        try await withScriptedServer(alertCount: 1) { _, client in
            let (session, output, _) = session(subscription: AlertSubscription(), duration: .milliseconds(500))
            let outcome = await session.run(client.streamConversations(), input: .fixed([.text(line: 1, #"{"text": "x"}"#)]))
            #expect(outcome.failure == nil)
            #expect(outcome.alerts <= 1)
            #expect(output.lines.allSatisfy { $0.hasPrefix(#"{"subscribed":"#) || $0.hasPrefix(#"{"alert":"#) || $0.hasPrefix(#"{"classification":"#) })
        }
    }

    @Test func streamReportsTheServersStatus() async throws {
        try await withScriptedServer { _, client in
            let (session, output, _) = session()
            let input = InputLines.fixed([.text(line: 1, #"{"text": "ok"}"#), .text(line: 2, #"{"text": "fail"}"#)])
            let outcome = await session.run(client.streamConversations(), input: input)
            #expect(outcome.failure?.code == .invalidArgument)
            #expect(outcome.failure?.message == "the scripted server fails on 'fail'")
            #expect(output.lines.count == 1)
        }
    }

    @Test func streamWithoutCredentialsIsUnauthenticated() async throws {
        try await withScriptedServer { _, client in
            let anonymous = ReplyIntentClient(channel: client.channel, metadata: [:], timeout: nil, streamTimeout: nil)
            let (session, _, _) = session()
            let outcome = await session.run(anonymous.streamConversations(), input: .fixed([.text(line: 1, #"{"text": "a"}"#)]))
            #expect(outcome.failure == RPCError(.unauthenticated, "unknown token"))
        }
    }

    @Test func streamReadsAJSONLFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("intentctl-stream-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = (1...200).map { #"{"message_id": "m\#($0)", "text": "t\#($0)"}"# } + ["{bad"]
        try Data((lines.joined(separator: "\n")).utf8).write(to: URL(fileURLWithPath: path))
        try await withScriptedServer { _, client in
            let (session, output, errors) = session()
            let outcome = await session.run(client.streamConversations(), input: try LineSource(path: path).start())
            #expect(outcome.failure == nil)
            #expect(outcome.sentItems == 200)
            #expect(outcome.skippedLines == 1)
            let printed = output.lines
            #expect(printed.count == 200)
            #expect(printed.enumerated().allSatisfy { index, line in line.contains(#""message_id":"m\#(index + 1)","#) })
            #expect(errors.lines.count == 1)
            #expect(errors.lines.first?.hasPrefix("intentctl: line 201: invalid JSON") == true)
        }
    }

    @Test func lineSourceRefusesWhatItCannotRead() {
        #expect(throws: CLIError.self) { try LineSource(path: "/nonexistent/intentctl-input.jsonl") }
        #expect(throws: CLIError.self) { try LineSource(path: FileManager.default.temporaryDirectory.path) }
    }

    // MARK: unary calls and the commands' exit statuses

    @Test func typedUnaryCallsCarryTheRequest() async throws {
        try await withScriptedServer { _, client in
            let classified = try await client.classify(ClassifyIntentRequest(message: BuyerMessage(messageID: "q", text: "where"), topK: 2))
            #expect(classified.classification?.intent == "echo:where")
            #expect(classified.classification?.rankedIntents.count == 2)
            let suggested = try await client.suggest(
                SuggestReplyRequest(message: BuyerMessage(text: "x"), variables: ["order_id": "1", "eta": "soon"], model: "m2"))
            #expect(suggested.replyText == "eta=soon;order_id=1")
            #expect(suggested.decisionReasons == ["model m2"])
            let models = try await client.listModels(ListModelsRequest(tenant: "acme"))
            #expect(models.models.map(\.tenant) == ["acme"])
            await #expect(throws: RPCError(.permissionDenied, "admin RPCs need an admin token")) { try await client.reloadModels() }
        }
    }

    @Test func commandsExitWithTheStatusCode() async throws {
        try await withScriptedServer { server, _ in
            let port = "\(server.port)"
            func command(_ arguments: [String]) throws -> any AsyncParsableCommand {
                try #require(try IntentCtl.parseAsRoot(arguments + ["--server_port", port]) as? any AsyncParsableCommand)
            }
            var good = try command(["classify", "hello", "--token", "good", "--json"])
            try await good.run()
            var suggest = try command(["suggest", "hello", "--token", "good", "--var", "order_id=1"])
            try await suggest.run()
            var list = try command(["models", "list", "--token", "good"])
            try await list.run()
            var badToken = try command(["classify", "hello", "--token", "bad"])
            await #expect(throws: ExitCode(16)) { try await badToken.run() }
            var empty = try command(["classify", "", "--token", "good"])
            await #expect(throws: ExitCode(3)) { try await empty.run() }
            var reload = try command(["models", "reload", "--token", "good"])
            await #expect(throws: ExitCode(7)) { try await reload.run() }
            var stream = try command(["stream", "--subscribe", "--max-alerts", "1", "--token", "good"])
            try await stream.run()
        }
    }

    @Test func unreadableTLSFilesFailBeforeAnyCall() async throws {
        var command = try #require(
            try IntentCtl.parseAsRoot([
                "models", "list", "--server_port", "1", "--use_tls", "--ca_file", "/nonexistent/ca.pem",
            ]) as? Models.List)
        await #expect(throws: ExitCode.failure) { try await command.run() }
    }

    @Test func anUnreachableServerIsUnavailable() async throws {
        // A port that was just free: nothing listens there.
        let server = try TestServer.start(.h2c)
        let port = server.port
        server.stop()
        let command = try #require(
            try IntentCtl.parseAsRoot(["classify", "hello", "--server_port", "\(port)", "--deadline", "10"]) as? Classify)
        await #expect(throws: ExitCode(14)) { try await command.run() }
    }
}
