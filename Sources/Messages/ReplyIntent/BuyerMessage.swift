internal import CReplyIntentProtos

/// `replyintent.v1.BuyerMessage`: one message a buyer sent.
public struct BuyerMessage: ProtobufMessage, CheckedCMessage {
    public static let protoName = "replyintent.v1.BuyerMessage"

    /// `replyintent.v1.Platform`: the marketplace or channel a message came from. Open, so an
    /// unknown value survives decoding (the service rejects it: check ``isKnown``).
    public struct Platform: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// Not given; treated like ``other``.
        public static let unspecified = Platform(rawValue: 0)
        public static let tiktokShop = Platform(rawValue: 1)
        public static let shopee = Platform(rawValue: 2)
        public static let lazada = Platform(rawValue: 3)
        public static let temu = Platform(rawValue: 4)
        public static let aliexpress = Platform(rawValue: 5)
        public static let amazon = Platform(rawValue: 6)
        public static let instagram = Platform(rawValue: 7)
        public static let whatsapp = Platform(rawValue: 8)
        /// A channel not listed here.
        public static let other = Platform(rawValue: 9)

        /// Whether the value is one the proto defines.
        public var isKnown: Bool { (0...9).contains(rawValue) }

        public var description: String {
            switch rawValue {
            case 0: "PLATFORM_UNSPECIFIED"
            case 1: "PLATFORM_TIKTOK_SHOP"
            case 2: "PLATFORM_SHOPEE"
            case 3: "PLATFORM_LAZADA"
            case 4: "PLATFORM_TEMU"
            case 5: "PLATFORM_ALIEXPRESS"
            case 6: "PLATFORM_AMAZON"
            case 7: "PLATFORM_INSTAGRAM"
            case 8: "PLATFORM_WHATSAPP"
            case 9: "PLATFORM_OTHER"
            default: "Platform(\(rawValue))"
            }
        }

        init(_ value: Replyintent__V1__Platform) { rawValue = Int32(bitPattern: value.rawValue) }
        var cValue: Replyintent__V1__Platform { .init(rawValue: UInt32(bitPattern: rawValue)) }
    }

    /// The caller's id for this message (echoed in answers and alerts).
    public var messageID: String
    /// The conversation (thread) the message belongs to.
    public var conversationID: String
    /// The buyer's id on the platform.
    public var buyerID: String
    public var platform: Platform
    /// The message text.
    public var text: String
    /// ISO 639-1 code the caller believes the text is in; a hint only.
    public var languageHint: String
    /// When the buyer sent it, ms since 1970-01-01 UTC; 0 when unknown.
    public var sentAtUnixMs: Int64

    public init(
        messageID: String = "", conversationID: String = "", buyerID: String = "", platform: Platform = .unspecified,
        text: String = "", languageHint: String = "", sentAtUnixMs: Int64 = 0
    ) {
        self.messageID = messageID
        self.conversationID = conversationID
        self.buyerID = buyerID
        self.platform = platform
        self.text = text
        self.languageHint = languageHint
        self.sentAtUnixMs = sentAtUnixMs
    }

    public init(serializedBytes: [UInt8]) throws(MessageCodingError) { self = try Self.decode(serializedBytes) }
    public func serializedBytes() -> [UInt8] { encode() }

    static var cFunctions: CMessageFunctions<Replyintent__V1__BuyerMessage> {
        .init(
            initialize: replyintent__v1__buyer_message__init,
            packedSize: replyintent__v1__buyer_message__get_packed_size,
            pack: replyintent__v1__buyer_message__pack, unpack: replyintent__v1__buyer_message__unpack,
            freeUnpacked: replyintent__v1__buyer_message__free_unpacked)
    }

    init(cMessage: UnsafePointer<Replyintent__V1__BuyerMessage>) throws(InvalidUTF8Field) {
        let c = cMessage.pointee
        messageID = try CString.read(c.message_id, field: "message_id")
        conversationID = try CString.read(c.conversation_id, field: "conversation_id")
        buyerID = try CString.read(c.buyer_id, field: "buyer_id")
        platform = Platform(c.platform)
        text = try CString.read(c.text, field: "text")
        languageHint = try CString.read(c.language_hint, field: "language_hint")
        sentAtUnixMs = c.sent_at_unix_ms
    }

    var arenaByteCount: Int {
        EncodeArena.byteCount(messageID)
            + EncodeArena.byteCount(conversationID)
            + EncodeArena.byteCount(buyerID)
            + EncodeArena.byteCount(text)
            + EncodeArena.byteCount(languageHint)
    }

    func fill(_ c: UnsafeMutablePointer<Replyintent__V1__BuyerMessage>, in arena: inout EncodeArena) {
        if let messageID = arena.string(messageID) { c.pointee.message_id = messageID }
        if let conversationID = arena.string(conversationID) { c.pointee.conversation_id = conversationID }
        if let buyerID = arena.string(buyerID) { c.pointee.buyer_id = buyerID }
        c.pointee.platform = platform.cValue
        if let text = arena.string(text) { c.pointee.text = text }
        if let languageHint = arena.string(languageHint) { c.pointee.language_hint = languageHint }
        c.pointee.sent_at_unix_ms = sentAtUnixMs
    }
}
