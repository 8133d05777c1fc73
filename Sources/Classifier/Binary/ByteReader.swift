/// Reads the little-endian values `ByteWriter` wrote, with bounds checks: reading past the end
/// throws a `ModelFileError` naming the section, never traps.
public struct ByteReader: Sendable {
    public let bytes: [UInt8]
    public private(set) var offset: Int
    private let end: Int
    /// Section name used in error messages ("INTN", "LANG", ...).
    public let section: String

    public init(bytes: [UInt8], section: String) {
        self.bytes = bytes
        self.offset = 0
        self.end = bytes.count
        self.section = section
    }

    init(bytes: [UInt8], range: Range<Int>, section: String) {
        self.bytes = bytes
        self.offset = range.lowerBound
        self.end = range.upperBound
        self.section = section
    }

    public var remaining: Int { end - offset }
    public var isAtEnd: Bool { offset >= end }

    private mutating func need(_ count: Int, _ what: String) throws(ModelFileError) {
        if count < 0 || count > end - offset {
            throw .malformed(section, "needs \(count) bytes for \(what) at offset \(offset), only \(end - offset) left")
        }
    }

    public mutating func readUInt8() throws(ModelFileError) -> UInt8 {
        try need(1, "a byte")
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readUInt16() throws(ModelFileError) -> UInt16 {
        try need(2, "a UInt16")
        defer { offset += 2 }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    public mutating func readUInt32() throws(ModelFileError) -> UInt32 {
        try need(4, "a UInt32")
        defer { offset += 4 }
        return Self.uint32(bytes, offset)
    }

    public mutating func readUInt64() throws(ModelFileError) -> UInt64 {
        try need(8, "a UInt64")
        defer { offset += 8 }
        return UInt64(Self.uint32(bytes, offset)) | UInt64(Self.uint32(bytes, offset + 4)) << 32
    }

    public mutating func readInt32() throws(ModelFileError) -> Int32 { Int32(bitPattern: try readUInt32()) }
    public mutating func readInt64() throws(ModelFileError) -> Int64 { Int64(bitPattern: try readUInt64()) }
    public mutating func readInt() throws(ModelFileError) -> Int {
        let value = try readInt64()
        guard let int = Int(exactly: value) else { throw .malformed(section, "integer \(value) out of range") }
        return int
    }
    public mutating func readFloat() throws(ModelFileError) -> Float { Float(bitPattern: try readUInt32()) }
    public mutating func readDouble() throws(ModelFileError) -> Double { Double(bitPattern: try readUInt64()) }

    public mutating func readBool() throws(ModelFileError) -> Bool {
        switch try readUInt8() {
        case 0: return false
        case 1: return true
        case let other: throw .malformed(section, "boolean byte \(other) at offset \(offset - 1)")
        }
    }

    public mutating func readString() throws(ModelFileError) -> String {
        let count = Int(try readUInt32())
        try need(count, "a string")
        defer { offset += count }
        guard let string = String(validating: bytes[offset..<offset + count], as: UTF8.self) else {
            throw .malformed(section, "invalid UTF-8 in a string at offset \(offset)")
        }
        return string
    }

    public mutating func readStrings() throws(ModelFileError) -> [String] {
        let count = Int(try readUInt32())
        try need(count * 4, "\(count) strings")   // each string has at least its length prefix
        var result: [String] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try readString()) }
        return result
    }

    /// Reads `[Float]` written by `ByteWriter.write(_: [Float])`.
    public mutating func readFloats() throws(ModelFileError) -> [Float] {
        let count = try readCount(elementSize: 4, "floats")
        var result = [Float](repeating: 0, count: count)
        var position = offset
        let source = bytes
        for index in 0..<count {
            result[index] = Float(bitPattern: Self.uint32(source, position))
            position += 4
        }
        offset = position
        return result
    }

    public mutating func readUInt32s() throws(ModelFileError) -> [UInt32] {
        let count = try readCount(elementSize: 4, "UInt32 values")
        var result = [UInt32](repeating: 0, count: count)
        for index in 0..<count { result[index] = Self.uint32(bytes, offset + index * 4) }
        offset += count * 4
        return result
    }

    public mutating func readBlob() throws(ModelFileError) -> [UInt8] {
        let count = try readCount(elementSize: 1, "bytes")
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    public mutating func readRaw(_ count: Int) throws(ModelFileError) -> ArraySlice<UInt8> {
        try need(count, "\(count) raw bytes")
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// Throws unless every byte of the section was consumed (catches writer/reader drift).
    public func expectEnd() throws(ModelFileError) {
        if offset != end { throw .malformed(section, "\(end - offset) unread bytes at the end") }
    }

    private mutating func readCount(elementSize: Int, _ what: String) throws(ModelFileError) -> Int {
        let raw = try readUInt64()
        guard raw <= UInt64(end - offset) / UInt64(elementSize) else {
            throw .malformed(section, "\(raw) \(what) do not fit in the \(end - offset) bytes left")
        }
        return Int(raw)
    }

    @inline(__always)
    static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}
