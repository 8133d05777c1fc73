internal import CProtobufC
internal import CReplyIntentProtos

/// Scratch memory for building one message's C mirror: the C structs of the message and its
/// sub-messages, pointer arrays of repeated fields, and NUL-terminated copies of strings.
///
/// Encoding asks each message how many bytes it needs (`arenaByteCount`, exact), takes one
/// temporary allocation (on the stack when small), and fills it front to back. Compared with
/// lending each string through nested `withCString` closures, this does no retain/release per
/// field and no copy of `self` per closure level (which cost microseconds for a Classification).
struct EncodeArena {
    private let base: UnsafeMutableRawPointer
    private let capacity: Int
    private var used = 0

    private init(base: UnsafeMutableRawPointer, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// Calls `body` with an arena of `byteCount` bytes, valid only during `body`.
    static func with<R>(byteCount: Int, _ body: (inout EncodeArena) -> R) -> R {
        withUnsafeTemporaryAllocation(byteCount: max(byteCount, alignment), alignment: alignment) { raw in
            var arena = EncodeArena(base: raw.baseAddress!, capacity: raw.count)
            return body(&arena)
        }
    }

    // MARK: Sizes (every piece is rounded to the alignment, so the sums are exact)

    private static let alignment = 16

    @inline(__always)
    private static func rounded(_ byteCount: Int) -> Int { (byteCount + alignment - 1) & ~(alignment - 1) }

    /// A singular `string` field (empty strings take nothing: the C default stays).
    @inline(__always)
    static func byteCount(_ string: String) -> Int { string.isEmpty ? 0 : rounded(string.utf8.count + 1) }

    /// A `repeated string` field.
    static func byteCount(_ strings: [String]) -> Int {
        if strings.isEmpty { return 0 }
        var total = rounded(strings.count * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride)
        for string in strings { total += rounded(string.utf8.count + 1) }
        return total
    }

    /// A message (its C struct, then whatever it needs).
    @inline(__always)
    static func messageByteCount<M: CBackedMessage>(_ message: M) -> Int {
        rounded(MemoryLayout<M.CMessage>.stride) + message.arenaByteCount
    }

    /// An optional sub-message field.
    @inline(__always)
    static func byteCount<M: CBackedMessage>(_ message: M?) -> Int {
        guard let message else { return 0 }
        return messageByteCount(message)
    }

    /// A `repeated` message field.
    static func byteCount<M: CBackedMessage>(_ messages: [M]) -> Int {
        if messages.isEmpty { return 0 }
        var total = rounded(messages.count * MemoryLayout<UnsafeMutablePointer<M.CMessage>?>.stride)
        for message in messages { total += messageByteCount(message) }
        return total
    }

    /// A `bytes` field.
    @inline(__always)
    static func byteCount(_ bytes: [UInt8]) -> Int { bytes.isEmpty ? 0 : rounded(bytes.count) }

    /// A repeated scalar or enum field whose C elements are `C`.
    static func byteCount<Element, C>(array: [Element], of _: C.Type) -> Int {
        array.isEmpty ? 0 : rounded(array.count * MemoryLayout<C>.stride)
    }

    /// A map field: the entry pointers, each entry's C struct, and what `entryBytes` says its key
    /// and value need.
    static func byteCount<Key, Value, Entry>(
        map: [Key: Value], entry _: Entry.Type, _ entryBytes: (Key, Value) -> Int
    ) -> Int {
        if map.isEmpty { return 0 }
        var total = rounded(map.count * MemoryLayout<UnsafeMutablePointer<Entry>?>.stride)
        for (key, value) in map { total += rounded(MemoryLayout<Entry>.stride) + entryBytes(key, value) }
        return total
    }

    // MARK: Filling

    private mutating func take(_ byteCount: Int) -> UnsafeMutableRawPointer {
        let size = Self.rounded(byteCount)
        precondition(used + size <= capacity, "EncodeArena: arenaByteCount under-counted (\(used)+\(size)>\(capacity))")
        defer { used += size }
        return base + used
    }

    /// A NUL-terminated copy of `string`.
    private mutating func copy(_ string: String) -> UnsafeMutablePointer<CChar> {
        let count = string.utf8.count
        let raw = take(count + 1)
        let copied = string.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            if let source = utf8.baseAddress { raw.copyMemory(from: source, byteCount: utf8.count) }
            return true
        }
        if copied == nil {
            var offset = 0
            for byte in string.utf8 {
                raw.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
                offset += 1
            }
        }
        raw.storeBytes(of: 0, toByteOffset: count, as: UInt8.self)
        return raw.bindMemory(to: CChar.self, capacity: count + 1)
    }

    /// Sets a singular `string` field; "" keeps protobuf-c's shared empty string.
    @inline(__always)
    mutating func set(_ field: inout UnsafeMutablePointer<CChar>?, _ string: String) {
        if !string.isEmpty { field = copy(string) }
    }

    /// A `bytes` field: a copy in the arena.
    mutating func bytes(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        if bytes.isEmpty { return ProtobufCBinaryData(len: 0, data: nil) }
        let raw = take(bytes.count)
        bytes.withUnsafeBytes { raw.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return ProtobufCBinaryData(len: bytes.count, data: raw.bindMemory(to: UInt8.self, capacity: bytes.count))
    }

    /// A repeated scalar or enum field: its count and C array, each element converted by `element`.
    mutating func array<Element, C>(
        _ values: [Element], of _: C.Type, _ element: (Element) -> C
    ) -> (Int, UnsafeMutablePointer<C>?) {
        if values.isEmpty { return (0, nil) }
        let array = take(values.count * MemoryLayout<C>.stride).bindMemory(to: C.self, capacity: values.count)
        for (index, value) in values.enumerated() { (array + index).initialize(to: element(value)) }
        return (values.count, array)
    }

    /// A map field: its count and C array of entries, sorted by key so that equal maps always
    /// encode to equal bytes. `fill` sets an entry's key and value.
    mutating func map<Key: Comparable, Value, Entry>(
        _ map: [Key: Value], _ initialize: (UnsafeMutablePointer<Entry>?) -> Void,
        _ fill: (UnsafeMutablePointer<Entry>, Key, Value, inout EncodeArena) -> Void
    ) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>?) {
        if map.isEmpty { return (0, nil) }
        let entries = pointerArray(Entry.self, count: map.count)
        for (index, (key, value)) in map.sorted(by: { $0.key < $1.key }).enumerated() {
            let entry = take(MemoryLayout<Entry>.stride).bindMemory(to: Entry.self, capacity: 1)
            initialize(entry)
            fill(entry, key, value, &self)
            entries[index] = entry
        }
        return (map.count, entries)
    }

    /// A `repeated string` field: its count and C array.
    mutating func strings(_ strings: [String]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
        if strings.isEmpty { return (0, nil) }
        let pointers = pointerArray(CChar.self, count: strings.count)
        for (index, string) in strings.enumerated() { pointers[index] = copy(string) }
        return (strings.count, pointers)
    }

    /// A message's C struct, default-initialized and filled.
    mutating func messageStruct<M: CBackedMessage>(_ message: M) -> UnsafeMutablePointer<M.CMessage> {
        let c = take(MemoryLayout<M.CMessage>.stride).bindMemory(to: M.CMessage.self, capacity: 1)
        M.initialize(c)
        message.fill(c, in: &self)
        return c
    }

    /// An optional sub-message field (NULL when absent).
    @inline(__always)
    mutating func message<M: CBackedMessage>(_ message: M?) -> UnsafeMutablePointer<M.CMessage>? {
        guard let message else { return nil }
        return messageStruct(message)
    }

    /// A `repeated` message field: its count and C array.
    mutating func messages<M: CBackedMessage>(
        _ messages: [M]
    ) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<M.CMessage>?>?) {
        if messages.isEmpty { return (0, nil) }
        let pointers = pointerArray(M.CMessage.self, count: messages.count)
        for (index, message) in messages.enumerated() { pointers[index] = messageStruct(message) }
        return (messages.count, pointers)
    }

    /// An array of `count` NULL pointers (the caller sets every one).
    private mutating func pointerArray<T>(_: T.Type, count: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?> {
        let pointers = take(count * MemoryLayout<UnsafeMutablePointer<T>?>.stride)
            .bindMemory(to: UnsafeMutablePointer<T>?.self, capacity: count)
        pointers.initialize(repeating: nil, count: count)
        return pointers
    }
}
