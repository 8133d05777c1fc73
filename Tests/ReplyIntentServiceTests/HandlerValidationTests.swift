import Messages
import RPC
import ReplyIntentService
import Testing

/// Bad requests get INVALID_ARGUMENT (or the status the problem calls for) with a message naming
/// the field; nothing is classified.
@Suite struct HandlerValidationTests {
    let harness: ServiceHarness
    static let classify = ServiceHarness.service + "ClassifyIntent"
    static let suggest = ServiceHarness.service + "SuggestReply"
    let token = ServiceFixture.acmeToken

    init() throws {
        harness = try ServiceFixture.get().harness()
    }

    func failure(_ message: BuyerMessage?, topK: UInt32 = 0, model: String = "") -> RPCError? {
        harness.failure(Self.classify, ClassifyIntentRequest(message: message, topK: topK, model: model), token: token)
    }

    func expectInvalid(_ error: RPCError?, mentions parts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error?.code == .invalidArgument, "\(String(describing: error))", sourceLocation: sourceLocation)
        for part in parts {
            #expect(error?.message.contains(part) == true, "\(String(describing: error)) lacks \(part)", sourceLocation: sourceLocation)
        }
    }

    @Test func undecodableBytesNameTheMessageType() {
        let error = harness.failure(Self.classify, bytes: [0x0A, 0x05, 0x01], token: token)
        expectInvalid(error, mentions: ["request is not a valid replyintent.v1.ClassifyIntentRequest"])
        let suggestError = harness.failure(Self.suggest, bytes: [0x0A, 0x05, 0x01], token: token)
        expectInvalid(suggestError, mentions: ["request is not a valid replyintent.v1.SuggestReplyRequest"])
    }

    @Test func aMissingMessageIsNamed() {
        expectInvalid(failure(nil), mentions: ["message is missing"])
    }

    @Test func emptyAndWhitespaceTextAreRejected() {
        expectInvalid(failure(BuyerMessage(text: "")), mentions: ["message.text", "empty"])
        expectInvalid(failure(BuyerMessage(text: " \n\t\u{3000} ")), mentions: ["message.text", "whitespace"])
    }

    @Test func textOverTheLimitSaysTheSizeAndTheLimit() {
        let text = String(repeating: "a", count: 16 * 1024 + 1)
        expectInvalid(failure(BuyerMessage(text: text)), mentions: ["message.text", "16385 bytes", "16384"])
        // Exactly at the limit is fine.
        #expect(failure(BuyerMessage(text: String(repeating: "a", count: 16 * 1024))) == nil)
    }

    @Test func aSmallerConfiguredLimitApplies() throws {
        var limits = ServiceLimits()
        limits.maxTextBytes = 10
        let harness = try ServiceFixture.get().harness(limits: limits)
        let error = harness.failure(
            Self.classify, ClassifyIntentRequest(message: BuyerMessage(text: "where is my order?")), token: token)
        expectInvalid(error, mentions: ["18 bytes", "limit of 10 bytes"])
    }

    @Test func invalidUTF8IsRejectedNamingTheField() {
        // ClassifyIntentRequest { message (1) { text (5): C3 28 } }: a truncated two-byte sequence.
        let bytes: [UInt8] = [0x0A, 0x04, 0x2A, 0x02, 0xC3, 0x28]
        let error = harness.failure(Self.classify, bytes: bytes, token: token)
        expectInvalid(error, mentions: ["message.text", "UTF-8"])
    }

    @Test func anUnknownPlatformIsRejected() {
        let error = failure(BuyerMessage(platform: .init(rawValue: 42), text: "hi"))
        expectInvalid(error, mentions: ["message.platform", "42"])
        #expect(failure(BuyerMessage(platform: .other, text: "hello")) == nil)
        #expect(failure(BuyerMessage(platform: .unspecified, text: "hello")) == nil)
    }

    @Test func topKAboveEveryIntentIsRejected() {
        expectInvalid(failure(BuyerMessage(text: "hello"), topK: 24), mentions: ["top_k", "24", "23"])
        #expect(failure(BuyerMessage(text: "hello"), topK: 23) == nil)
    }

    @Test(arguments: ["message_id", "conversation_id", "buyer_id"])
    func identifiersOver128BytesAreRejected(field: String) {
        let long = String(repeating: "x", count: 129)
        var message = BuyerMessage(text: "hello")
        switch field {
        case "message_id": message.messageID = long
        case "conversation_id": message.conversationID = long
        default: message.buyerID = long
        }
        expectInvalid(failure(message), mentions: ["message.\(field)", "129 bytes", "128"])
        switch field {
        case "message_id": message.messageID = String(long.dropLast())
        case "conversation_id": message.conversationID = String(long.dropLast())
        default: message.buyerID = String(long.dropLast())
        }
        #expect(failure(message) == nil)
    }

    @Test(arguments: ["english", "e", "e1", "es-MX", "中文"])
    func languageHintsMustBeShortLetterCodes(hint: String) {
        expectInvalid(failure(BuyerMessage(text: "hola", languageHint: hint)), mentions: ["message.language_hint"])
    }

    @Test(arguments: ["es", "ES", "fil"])
    func twoAndThreeLetterHintsAreAccepted(hint: String) {
        #expect(failure(BuyerMessage(text: "hola", languageHint: hint)) == nil)
    }

    @Test(arguments: ["Bad Name", "-x", "acme/", "acme/Bad", "UPPER/x", "a/b/c"])
    func invalidModelNamesAreRejected(model: String) {
        expectInvalid(failure(BuyerMessage(text: "hello"), model: model), mentions: ["model '\(model)'"])
    }

    @Test func anotherTenantsModelIsPermissionDenied() {
        let error = failure(BuyerMessage(text: "hello"), model: "other/support-v2")
        #expect(error?.code == .permissionDenied)
        #expect(error?.message.contains("belongs to tenant 'other'") == true)
    }

    @Test func theCallersOwnTenantPrefixIsAccepted() throws {
        // acme has no model named "default" of its own: the shared default answers.
        let classification = try harness.classify("where is my order?", token: token, model: "acme/default")
        #expect(classification.model == ModelRef(tenant: "", name: "default", version: classification.model?.version ?? ""))
    }

    @Test func anUnknownModelIsNotFound() {
        let error = failure(BuyerMessage(text: "hello"), model: "nosuch")
        #expect(error?.code == .notFound)
        #expect(error?.message.contains("'nosuch'") == true)
        #expect(failure(BuyerMessage(text: "hello"), model: "acme/nosuch")?.code == .notFound)
    }

    @Test func suggestReplyValidatesItsVariables() {
        let request = SuggestReplyRequest(
            message: BuyerMessage(text: "where is my order?"),
            variables: ["order_id": String(repeating: "9", count: 5000)])
        expectInvalid(harness.failure(Self.suggest, request, token: token), mentions: ["variables[\"order_id\"]", "5000 bytes"])
        let empty = SuggestReplyRequest(message: BuyerMessage(text: "hi"), variables: ["": "x"])
        expectInvalid(harness.failure(Self.suggest, empty, token: token), mentions: ["empty name"])
    }

    @Test func suggestReplyValidatesTheMessageLikeClassify() {
        let request = SuggestReplyRequest(message: BuyerMessage(text: "   "))
        expectInvalid(harness.failure(Self.suggest, request, token: token), mentions: ["message.text", "whitespace"])
        #expect(harness.failure(Self.suggest, SuggestReplyRequest(), token: token)?.message.contains("message is missing") == true)
    }
}
