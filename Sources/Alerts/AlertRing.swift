/// A fixed-capacity ring of one tenant's latest alerts, indexed by sequence number.
///
/// Sequence numbers start at 1. Once full, each append overwrites the oldest entry, so the
/// buffered range is always `oldest ..< nextSequence` with at most `capacity` entries.
struct AlertRing<Payload: Sendable>: Sendable {
    struct Entry: Sendable {
        let sequence: UInt64
        let priority: Int
        let payload: Payload
    }

    private var slots: [Entry?]
    /// The sequence the next appended alert gets.
    private(set) var nextSequence: UInt64 = 1
    /// How many alerts are buffered (at most `capacity`).
    private(set) var count = 0

    init(capacity: Int) {
        precondition(capacity >= 1, "AlertRing capacity must be at least 1")
        slots = Array(repeating: nil, count: capacity)
    }

    var capacity: Int { slots.count }

    /// The oldest buffered sequence; 0 when nothing is buffered.
    var oldest: UInt64 { count == 0 ? 0 : nextSequence - UInt64(count) }

    /// The newest assigned sequence; 0 before the first alert.
    var newest: UInt64 { nextSequence - 1 }

    /// Appends an alert, overwriting the oldest one when full. O(1).
    mutating func append(priority: Int, _ makePayload: (UInt64) -> Payload) -> Entry {
        let sequence = nextSequence
        let entry = Entry(sequence: sequence, priority: priority, payload: makePayload(sequence))
        slots[slot(for: sequence)] = entry
        nextSequence += 1
        if count < slots.count { count += 1 }
        return entry
    }

    /// The buffered entry with this sequence, or nil when it is not (or no longer) buffered.
    func entry(_ sequence: UInt64) -> Entry? {
        guard count > 0, sequence >= oldest, sequence < nextSequence else { return nil }
        return slots[slot(for: sequence)]
    }

    private func slot(for sequence: UInt64) -> Int {
        Int((sequence - 1) % UInt64(slots.count))
    }
}
