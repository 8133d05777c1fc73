/// The container every ReplyIntent model file uses:
///
/// ```
/// offset 0   "RIMD"                      magic
///        4   UInt16 format version       (ModelFile.formatVersion)
///        6   UInt16 reserved (0)
///        8   UInt64 total file length    (lets a truncated file be told from a corrupt one)
///       16   UInt32 section count
///       20   sections, each: 4-byte ASCII tag, UInt64 payload length, payload
///   len-4    UInt32 CRC-32 of every byte before it
/// ```
/// All integers little-endian. Section payloads are written with `ByteWriter` and read with
/// `ByteReader`; a reader that does not know a tag ignores it.
public struct ModelFile: Sendable {
    public static let magic: [UInt8] = Array("RIMD".utf8)
    public static let formatVersion: UInt16 = 1
    static let headerSize = 20

    public struct Section: Sendable {
        public let tag: String
        public let payload: [UInt8]

        /// `tag` must be 4 ASCII characters ("META", "INTN", "LANG", "TONE", "RISK").
        public init(tag: String, payload: [UInt8]) {
            precondition(tag.utf8.count == 4 && tag.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }, "section tags are 4 ASCII characters")
            self.tag = tag
            self.payload = payload
        }

        public init(tag: String, _ write: (inout ByteWriter) -> Void) {
            var writer = ByteWriter()
            write(&writer)
            self.init(tag: tag, payload: writer.bytes)
        }

        /// A reader over the payload whose errors name this section.
        public func reader() -> ByteReader { ByteReader(bytes: payload, section: tag) }
    }

    public var sections: [Section]

    public init(sections: [Section]) { self.sections = sections }

    public func section(_ tag: String) -> Section? { sections.first { $0.tag == tag } }

    public func requireSection(_ tag: String) throws(ModelFileError) -> Section {
        guard let found = section(tag) else {
            throw ModelFileError(.missingSection, "model file has no \(tag) section (sections present: \(sections.map(\.tag).joined(separator: ", ")))")
        }
        return found
    }

    public func encode() -> [UInt8] {
        let total = Self.headerSize + sections.reduce(0) { $0 + 12 + $1.payload.count } + 4
        var writer = ByteWriter(capacity: total)
        writer.writeRaw(Self.magic)
        writer.write(Self.formatVersion)
        writer.write(UInt16(0))
        writer.write(UInt64(total))
        writer.write(UInt32(sections.count))
        for section in sections {
            writer.writeRaw(section.tag.utf8)
            writer.write(UInt64(section.payload.count))
            writer.writeRaw(section.payload)
        }
        var bytes = writer.bytes
        let crc = CRC32.checksum(bytes)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
        return bytes
    }

    /// Checks magic, version, length and checksum before looking at any section.
    public static func decode(_ bytes: [UInt8]) throws(ModelFileError) -> ModelFile {
        if bytes.isEmpty { throw ModelFileError(.empty, "model file is empty (0 bytes)") }
        if bytes.count < 4 || Array(bytes[0..<4]) != magic {
            throw ModelFileError(.badMagic, "not a ReplyIntent model file (bad magic: expected \"RIMD\" in the first 4 bytes)")
        }
        if bytes.count < headerSize {
            throw ModelFileError(.truncated, "model file truncated at byte \(bytes.count): the header alone is \(headerSize) bytes")
        }
        var header = ByteReader(bytes: bytes, range: 4..<headerSize, section: "header")
        let version = try header.readUInt16()
        if version != formatVersion {
            throw ModelFileError(.unsupportedVersion, "unsupported format version \(version) (this build reads \(formatVersion))")
        }
        _ = try header.readUInt16()
        let declared = try header.readUInt64()
        let sectionCount = try header.readUInt32()
        if UInt64(bytes.count) < declared {
            throw ModelFileError(.truncated, "model file truncated at byte \(bytes.count) of \(declared)")
        }
        if UInt64(bytes.count) > declared {
            throw ModelFileError(.trailingBytes, "model file has \(UInt64(bytes.count) - declared) unexpected bytes after its end (byte \(declared)): not a whole model file")
        }
        let bodyEnd = bytes.count - 4
        let stored = ByteReader.uint32(bytes, bodyEnd)
        let computed = CRC32.checksum(bytes, range: 0..<bodyEnd)
        if stored != computed {
            throw ModelFileError(.checksumMismatch, "checksum mismatch: file is corrupt (stored CRC-32 \(hex(stored)), computed \(hex(computed)))")
        }
        var reader = ByteReader(bytes: bytes, range: headerSize..<bodyEnd, section: "section table")
        var sections: [Section] = []
        for _ in 0..<sectionCount {
            let tagBytes = try reader.readRaw(4)
            guard tagBytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), let tag = String(validating: tagBytes, as: UTF8.self) else {
                throw .malformed("section table", "section tag is not 4 ASCII characters")
            }
            let length = try reader.readUInt64()
            guard length <= UInt64(reader.remaining) else {
                throw .malformed(tag, "declares \(length) bytes but only \(reader.remaining) remain")
            }
            sections.append(Section(tag: tag, payload: Array(try reader.readRaw(Int(length)))))
        }
        try reader.expectEnd()
        return ModelFile(sections: sections)
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
