/// The labels and languages the service knows (policy files are validated against them).
public enum IntentLabels {
    /// The 22 intents and `other`.
    public static let all: Set<String> = [
        "account", "cancel_order", "change_address", "change_order", "complaint", "delivery_problem",
        "feedback_review", "greeting", "human_agent", "invoice", "order_status", "other", "payment_methods",
        "payment_problem", "place_order", "price_discount", "product_question", "refund_request", "refund_status",
        "return_exchange", "shipping_info", "size_question", "thanks_goodbye",
    ]

    /// The 18 reply languages (ISO 639-1, `tl` for Filipino).
    public static let languages: Set<String> = [
        "en", "es", "pt", "fr", "de", "it", "nl", "tr", "ar", "zh", "ja", "ko", "id", "ms", "th", "vi", "tl", "ru",
    ]
}
