internal import Glibc

/// Turns received header bytes into Strings, reusing the Strings of the previous header block
/// where the bytes are the same. Requests on one connection repeat most fields byte for byte
/// (`:method POST`, `:path`, `content-type`, `user-agent`, ...), so this replaces UTF-8
/// validation and an allocation per field with a memcmp.
struct HeaderStringCache {
    /// A class so a lookup retains one object instead of copying two arrays and two strings.
    private final class Entry {
        let name: [UInt8]
        let value: [UInt8]
        let field: HeaderField
        init(name: [UInt8], value: [UInt8], field: HeaderField) {
            self.name = name
            self.value = value
            self.field = field
        }
    }

    /// A small table indexed by a hash of the name (two candidate slots each); values longer than
    /// `maxValueLength` are not cached (they rarely repeat and would pin memory).
    private var slots: [Entry?] = Array(repeating: nil, count: 64)  // a power of two
    private static let maxValueLength = 256

    mutating func field(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> HeaderField {
        guard value.count <= Self.maxValueLength, name.count > 0 else { return Self.make(name, value) }
        var hash: UInt32 = 2_166_136_261  // FNV-1a over the name
        for byte in name { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        // Two candidate slots per name (two-choice hashing), so two busy names rarely evict each other.
        let first = Int(hash & UInt32(slots.count - 1))
        let second = Int((hash >> 16) & UInt32(slots.count - 1))
        if let entry = slots[first], Self.equal(entry.name, name), Self.equal(entry.value, value) {
            return entry.field
        }
        if let entry = slots[second], Self.equal(entry.name, name), Self.equal(entry.value, value) {
            return entry.field
        }
        let field = Self.make(name, value)
        let entry = Entry(name: Array(name), value: Array(value), field: field)
        // Replace this name's previous value if it has a slot, else take an empty slot, else the first.
        if let existing = slots[second], Self.equal(existing.name, name) {
            slots[second] = entry
        } else if slots[first] != nil, slots[second] == nil {
            slots[second] = entry
        } else {
            slots[first] = entry
        }
        return field
    }

    @inline(__always)
    private static func equal(_ stored: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard stored.count == bytes.count else { return false }
        if bytes.isEmpty { return true }
        return stored.withUnsafeBufferPointer { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
    }

    private static func make(_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) -> HeaderField {
        HeaderField(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
    }
}
