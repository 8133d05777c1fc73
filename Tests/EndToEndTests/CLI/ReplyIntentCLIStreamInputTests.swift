import Messages
import Testing

@testable import intentctl

/// `intentctl stream` input lines → StreamConversationsRequest, and the line splitter.
struct ReplyIntentCLIStreamInputTests {
    private func request(_ line: String, number: Int = 1) throws -> StreamConversationsRequest.Kind? {
        try StreamInput.request(fromLine: line, lineNumber: number)?.kind
    }

    @Test func readsAWrappedMessageWithEveryField() throws {
        let kind = try request(
            #"{"message": {"message_id": "m1", "conversation_id": "c1", "buyer_id": "b1", "platform": "PLATFORM_SHOPEE", "text": "¿dónde está mi pedido?", "language_hint": "es", "sent_at_unix_ms": "1763690000123"}}"#)
        #expect(
            kind
                == .message(
                    BuyerMessage(
                        messageID: "m1", conversationID: "c1", buyerID: "b1", platform: .shopee, text: "¿dónde está mi pedido?",
                        languageHint: "es", sentAtUnixMs: 1_763_690_000_123)))
    }

    @Test func readsABareMessageInCamelCaseAndNumbersItsMissingID() throws {
        let kind = try request(#"{"text": "hello", "conversationId": "c9", "platform": "tiktok-shop", "sentAtUnixMs": 5}"#, number: 7)
        #expect(
            kind
                == .message(BuyerMessage(messageID: "line-7", conversationID: "c9", platform: .tiktokShop, text: "hello", sentAtUnixMs: 5)))
    }

    @Test func readsCorrectionsAndSubscriptions() throws {
        #expect(
            try request(#"{"correction": {"message_id": "m1", "intent": "refund_request", "agent_id": "ana"}}"#)
                == .correction(AgentCorrection(messageID: "m1", intent: "refund_request", agentID: "ana")))
        #expect(
            try request(#"{"subscribe": {"min_priority": "urgent", "resume_after_sequence": 41}}"#)
                == .subscribe(AlertSubscription(minPriority: .urgent, resumeAfterSequence: 41)))
        #expect(try request(#"{"subscribe": {}}"#) == .subscribe(AlertSubscription()))
        #expect(try request(#"{"subscribe": {"min_priority": 3, "resume_after_sequence": null}}"#) == .subscribe(AlertSubscription(minPriority: .high)))
    }

    @Test func skipsBlankLines() throws {
        #expect(try StreamInput.request(fromLine: "   \t", lineNumber: 3) == nil)
    }

    @Test(arguments: [
        (#"{"message": {"txt": "hi"}}"#, "unknown field \"txt\" in message (known: message_id, conversation_id, buyer_id, platform, text, language_hint, sent_at_unix_ms)"),
        (#"{"message": {"text": 5}}"#, "message.text must be a string, got a number"),
        (#"{"message": "hi"}"#, "\"message\" must be an object, got a string"),
        (#"{"message": {"text": "a"}, "text": "b"}"#, "a line with \"message\" must have no other key (found \"text\"); send one item per line: message, correction or subscribe"),
        (#"{"text": "a", "platform": "ebay"}"#, "message.platform \"ebay\" is not a platform (one of tiktok_shop, shopee, lazada, temu, aliexpress, amazon, instagram, whatsapp, other)"),
        (#"{"text": "a", "sent_at_unix_ms": 1.5}"#, "message.sent_at_unix_ms must be a whole number that fits in 64 bits, got 1.5"),
        (#"{"text": "a", "message_id": "x", "messageId": "y"}"#, "message.message_id is given twice (as message_id and messageId)"),
        (#"{"text": "a\u0000b"}"#, "message.text contains a NUL character (\\u0000), which gRPC strings cannot carry"),
        (#"{"subscribe": {"min_priority": "critical"}}"#, "subscribe.min_priority \"critical\" is not a priority (one of low, normal, high, urgent)"),
        (#"{"subscribe": {"resume_after_sequence": -1}}"#, "subscribe.resume_after_sequence must be a whole number from 0 to 2^64-1, got -1"),
        (#"["text"]"#, "each line must be a JSON object, got an array"),
        (#"{"text": "a",}"#, "invalid JSON at column 14: trailing comma before }"),
    ])
    func reportsBadLinesWithTheirNumberAndTheField(line: String, reason: String) {
        #expect(throws: StreamInput.LineError(line: 12, reason: reason)) { try StreamInput.request(fromLine: line, lineNumber: 12) }
    }

    @Test func lineErrorsReadAsLineNumberThenReason() {
        #expect(StreamInput.LineError(line: 3, reason: "why").description == "line 3: why")
    }

    @Test func splitsLinesAcrossChunksWithCRLFAndABOM() {
        var splitter = LineSplitter(maxLineBytes: 100)
        var lines = splitter.append(Array("\u{FEFF}{\"a\":1}\r\n{\"b\"".utf8))
        lines += splitter.append(Array(":2}\n\nlast".utf8))
        lines += splitter.finish()
        #expect(lines == [.text(line: 1, "{\"a\":1}"), .text(line: 2, "{\"b\":2}"), .text(line: 3, ""), .text(line: 4, "last")])
    }

    @Test func reportsOverlongAndNonUTF8LinesAndKeepsCounting() {
        var splitter = LineSplitter(maxLineBytes: 8)
        var lines = splitter.append(Array("0123456".utf8))
        lines += splitter.append(Array("789abc".utf8))  // over the limit before its newline arrives
        lines += splitter.append(Array("def\nok\n".utf8) + [0xFF, 0xFE, 0x0A])
        lines += splitter.finish()
        #expect(
            lines == [
                .unreadable(line: 1, reason: "the line is longer than 8 bytes"), .text(line: 2, "ok"),
                .unreadable(line: 3, reason: "the line is not valid UTF-8"),
            ])
    }
}
