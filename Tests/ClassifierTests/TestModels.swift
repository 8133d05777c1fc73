@testable import Classifier

/// A tiny intent model trained on a few dozen messages (2^12 buckets), shared by the tests.
enum TestModels {
    static let rows: [LabeledExample] = {
        let data: [(String, String, String)] = [
            ("where is my order", "order_status", "en"), ("when will my parcel arrive", "order_status", "en"),
            ("track my package please", "order_status", "en"), ("order status?", "order_status", "en"),
            ("dónde está mi pedido", "order_status", "es"), ("我的订单在哪里", "order_status", "zh"),
            ("أين طلبي", "order_status", "ar"), ("has my order shipped yet", "order_status", "en"),
            ("I want my money back", "refund_request", "en"), ("please refund me", "refund_request", "en"),
            ("refund the payment", "refund_request", "en"), ("quiero un reembolso", "refund_request", "es"),
            ("我要退款", "refund_request", "zh"), ("أريد استرداد أموالي", "refund_request", "ar"),
            ("give me a refund now", "refund_request", "en"), ("can I get a refund", "refund_request", "en"),
            ("hi", "greeting", "en"), ("hello there", "greeting", "en"), ("good morning", "greeting", "en"),
            ("hola", "greeting", "es"), ("你好", "greeting", "zh"), ("مرحبا", "greeting", "ar"),
            ("hey!", "greeting", "en"), ("hello 👋", "greeting", "en"),
            ("set an alarm for 7am", "other", "en"), ("what is the weather tomorrow", "other", "en"),
            ("play some jazz music", "other", "en"), ("wie wird das wetter", "other", "de"),
            ("book a table for two", "other", "en"), ("remind me to call mom", "other", "en"),
            ("明天天气怎么样", "other", "zh"), ("tell me a joke", "other", "en"),
        ]
        return data.map { LabeledExample(text: $0.0, label: $0.1, language: $0.2, origin: "test") }
    }()

    static func options(idf: Bool = true) -> IntentTrainingOptions {
        var options = IntentTrainingOptions()
        options.features.bucketBits = 12
        options.features.idf = idf
        options.trainer.epochs = 15
        options.threads = 2
        options.inScopeMinimum = 10   // en has 18 in-scope rows here; es, zh, ar only 2 each
        return options
    }

    static let model: IntentModel = IntentTrainer.train(rows: rows, dev: rows, options: options()).model
    static let bytes: [UInt8] = model.encode()
}
