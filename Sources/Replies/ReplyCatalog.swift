/// The fixed vocabulary replies are written against: intent labels, supported languages and the
/// variable names a SuggestReply request may fill in.
public enum ReplyCatalog {
    /// Every intent label the classifier produces (22 intents + "other"), sorted.
    public static let intents: [String] = [
        "account", "cancel_order", "change_address", "change_order", "complaint", "delivery_problem",
        "feedback_review", "greeting", "human_agent", "invoice", "order_status", "other", "payment_methods",
        "payment_problem", "place_order", "price_discount", "product_question", "refund_request", "refund_status",
        "return_exchange", "shipping_info", "size_question", "thanks_goodbye",
    ]
    public static let intentSet: Set<String> = Set(intents)

    /// The languages the bundled templates cover (ISO 639-1).
    public static let languages: [String] = [
        "en", "es", "pt", "fr", "de", "it", "nl", "tr", "ar", "zh", "ja", "ko", "id", "ms", "th", "vi", "tl", "ru",
    ]
    public static let languageSet: Set<String> = Set(languages)

    /// Variable names documented in SuggestReplyRequest.variables, sorted.
    public static let knownVariables: [String] = [
        "buyer_name", "eta", "order_id", "product_name", "refund_amount", "return_address", "shop_name",
        "tracking_url",
    ]

    /// The owner of the bundled templates in template ids ("default/en/order_status").
    public static let bundledOwner = "default"

    /// True for a two-letter lowercase ASCII code ("es"), the only accepted template file names.
    public static func isLanguageCode(_ code: String) -> Bool {
        let utf8 = code.utf8
        guard utf8.count == 2 else { return false }
        return utf8.allSatisfy { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
    }

    /// The two-letter code of a language tag: "es" for "es", "ES", "es-MX", "pt_BR"; nil when there is none.
    public static func languageCode(of tag: String) -> String? {
        if isLanguageCode(tag) { return tag }
        let prefix = tag.prefix { $0 != "-" && $0 != "_" }.lowercased()
        return isLanguageCode(prefix) ? prefix : nil
    }
}
