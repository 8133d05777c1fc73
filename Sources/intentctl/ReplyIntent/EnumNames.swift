internal import Messages

/// The proto enums as operators write them: the proto name (`PLATFORM_SHOPEE`), the short
/// name (`shopee`, `tiktok_shop`, `tiktok-shop`), or the number; and their short names for output.
enum EnumNames {
    static let platforms: [(short: String, value: BuyerMessage.Platform)] = [
        ("unspecified", .unspecified), ("tiktok_shop", .tiktokShop), ("shopee", .shopee), ("lazada", .lazada),
        ("temu", .temu), ("aliexpress", .aliexpress), ("amazon", .amazon), ("instagram", .instagram),
        ("whatsapp", .whatsapp), ("other", .other),
    ]

    static let priorities: [(short: String, value: Classification.Priority)] = [
        ("unspecified", .unspecified), ("low", .low), ("normal", .normal), ("high", .high), ("urgent", .urgent),
    ]

    static func platform(_ text: String) -> BuyerMessage.Platform? {
        lookUp(text, prefix: "platform_", in: platforms)
    }

    static func priority(_ text: String) -> Classification.Priority? {
        lookUp(text, prefix: "priority_", in: priorities)
    }

    /// `unknownValue` for the help texts: "shopee, lazada, ...".
    static var platformChoices: String { platforms.dropFirst().map(\.short).joined(separator: ", ") }
    static var priorityChoices: String { priorities.dropFirst().map(\.short).joined(separator: ", ") }

    private static func lookUp<Value: RawRepresentable>(
        _ text: String, prefix: String, in table: [(short: String, value: Value)]
    ) -> Value? where Value.RawValue == Int32 {
        var name = text.lowercased().replacing("-", with: "_")
        if name.hasPrefix(prefix) { name.removeFirst(prefix.count) }
        if let entry = table.first(where: { $0.short == name }) { return entry.value }
        if let number = Int32(text), table.contains(where: { $0.value.rawValue == number }) {
            return Value(rawValue: number)
        }
        return nil
    }

    /// "shopee", "high", "auto_send": the proto name without its prefix, lower-cased; an unknown
    /// value as its number.
    static func short(_ value: some CustomStringConvertible, prefix: String) -> String {
        let name = value.description
        guard name.hasPrefix(prefix) else { return name }
        return name.dropFirst(prefix.count).lowercased()
    }
}
