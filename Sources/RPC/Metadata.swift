/// gRPC custom metadata: an ordered list of lower-case names with text or binary values.
///
/// Names ending in `-bin` carry binary values (base64 on the wire); all others carry ASCII text.
/// Reserved names (`:`-pseudo headers, `grpc-*` protocol headers, `te`, `content-type`) are never
/// stored here: the transport owns them.
public struct Metadata: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// One name and its value.
    public struct Entry: Sendable, Hashable {
        /// A text value, or a binary one for a `-bin` name.
        public enum Value: Sendable, Hashable {
            case string(String)
            case binary([UInt8])
        }

        public var name: String
        public var value: Value

        public init(name: String, value: Value) {
            self.name = name
            self.value = value
        }
    }

    private var entries: [Entry] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { add(name, value) }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// Appends a text value. The name is lower-cased.
    public mutating func add(_ name: String, _ value: String) {
        entries.append(Entry(name: name.lowercased(), value: .string(value)))
    }

    /// Appends a binary value; the name must end in `-bin`.
    public mutating func add(_ name: String, binary value: [UInt8]) {
        entries.append(Entry(name: name.lowercased(), value: .binary(value)))
    }

    public mutating func add(_ entry: Entry) { entries.append(entry) }

    /// Removes every value of `name`.
    public mutating func remove(_ name: String) {
        let key = name.lowercased()
        entries.removeAll { $0.name == key }
    }

    /// The first text value of `name`, if any.
    public func first(_ name: String) -> String? {
        let key = name.lowercased()
        for entry in entries where entry.name == key {
            if case .string(let text) = entry.value { return text }
        }
        return nil
    }

    /// The first binary value of `name`, if any.
    public func firstBinary(_ name: String) -> [UInt8]? {
        let key = name.lowercased()
        for entry in entries where entry.name == key {
            if case .binary(let bytes) = entry.value { return bytes }
        }
        return nil
    }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    /// Whether `name` is a binary (`-bin`) metadata key.
    public static func isBinaryKey(_ name: String) -> Bool { name.hasSuffix("-bin") }
}
