/// Turns received header bytes into Strings, reusing the Strings of the previous header block
/// where the bytes are the same. Requests on one connection repeat most fields byte for byte
/// (`:method POST`, `:path`, `content-type`, `user-agent`, ...), so this replaces UTF-8
/// validation and an allocation per field with a memcmp.
struct HeaderStringCache {
    private struct Entry {
        var name: [UInt8]
        var value: [UInt8]
        var field: HeaderField
    }

    /// A small direct-mapped table indexed by a hash of the name; values longer than
    /// `maxValueLength` are not cached (they rarely repeat and would pin memory).
    private var slots: [Entry?] = Array(repeating: nil, count: 32)
    private static let maxValueLength = 256

    mutating func field(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> HeaderField {
        guard value.count <= Self.maxValueLength, name.count > 0 else { return Self.make(name, value) }
        var hash = UInt(name.count) &* 31 &+ UInt(name[0]) &* 7 &+ UInt(name[name.count - 1])
        if name.count > 2 { hash = hash &* 31 &+ UInt(name[name.count / 2]) }
        let index = Int(hash % UInt(slots.count))
        if let entry = slots[index], entry.name.elementsEqual(name), entry.value.elementsEqual(value) {
            return entry.field
        }
        let field = Self.make(name, value)
        slots[index] = Entry(name: Array(name), value: Array(value), field: field)
        return field
    }

    private static func make(_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) -> HeaderField {
        HeaderField(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
    }
}
