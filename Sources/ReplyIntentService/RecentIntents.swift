/// The intents a stream answered for its latest messages, by message id, so that a correction
/// can report `previous_intent`. Bounded: past `capacity` ids the oldest is forgotten.
struct RecentIntents {
    private var intents: [String: String] = [:]
    private var order: [String] = []
    private var oldest = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    subscript(messageID: String) -> String? { intents[messageID] }

    var count: Int { intents.count }

    mutating func remember(_ intent: String, for messageID: String) {
        if intents.updateValue(intent, forKey: messageID) != nil { return }
        if order.count < capacity {
            order.append(messageID)
            return
        }
        intents.removeValue(forKey: order[oldest])
        order[oldest] = messageID
        oldest = (oldest + 1) % capacity
    }
}
