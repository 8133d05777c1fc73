/// Appends little-endian values to a byte array. Used by every part of the model file
/// (intent weights, language, tone, risk sections); `ByteReader` reads them back.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }

    public mutating func write(_ value: UInt8) { bytes.append(value) }

    public mutating func write(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    public mutating func write(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    public mutating func write(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    public mutating func write(_ value: Int32) { write(UInt32(bitPattern: value)) }
    public mutating func write(_ value: Int64) { write(UInt64(bitPattern: value)) }
    /// Ints are stored as Int64 so files do not depend on the platform's word size.
    public mutating func write(_ value: Int) { write(Int64(value)) }
    public mutating func write(_ value: Float) { write(value.bitPattern) }
    public mutating func write(_ value: Double) { write(value.bitPattern) }
    public mutating func write(_ value: Bool) { write(value ? UInt8(1) : UInt8(0)) }

    /// UTF-8 bytes prefixed by their UInt32 length.
    public mutating func write(_ value: String) {
        let utf8 = Array(value.utf8)
        write(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// A UInt32 count followed by the strings.
    public mutating func write(_ values: [String]) {
        write(UInt32(values.count))
        for value in values { write(value) }
    }

    /// A UInt64 count followed by the floats (4 bytes each).
    public mutating func write(_ values: [Float]) {
        write(UInt64(values.count))
        bytes.reserveCapacity(bytes.count + values.count * 4)
        for value in values {
            let bits = value.bitPattern
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 16))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 24))
        }
    }

    /// A UInt64 count followed by the values (4 bytes each).
    public mutating func write(_ values: [UInt32]) {
        write(UInt64(values.count))
        for value in values { write(value) }
    }

    /// A UInt64 count followed by the raw bytes.
    public mutating func writeBlob(_ values: [UInt8]) {
        write(UInt64(values.count))
        bytes.append(contentsOf: values)
    }

    /// Raw bytes without a length prefix.
    public mutating func writeRaw<C: Collection>(_ values: C) where C.Element == UInt8 {
        bytes.append(contentsOf: values)
    }
}
