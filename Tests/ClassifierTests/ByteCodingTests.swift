import Testing
@testable import Classifier

@Suite struct ByteCodingTests {
    @Test func valuesRoundTrip() throws {
        var writer = ByteWriter()
        writer.write(UInt8(7))
        writer.write(UInt16(0xBEEF))
        writer.write(UInt32(0xDEAD_BEEF))
        writer.write(UInt64.max - 1)
        writer.write(Int(-42))
        writer.write(Float(-1.5))
        writer.write(Double.pi)
        writer.write(true)
        writer.write("héllo 订单")
        writer.write(["a", "", "ب"])
        writer.write([Float(1), -2, .infinity])
        writer.write([UInt32(1), 2, 3])
        writer.writeBlob([9, 8])
        var reader = ByteReader(bytes: writer.bytes, section: "TEST")
        #expect(try reader.readUInt8() == 7)
        #expect(try reader.readUInt16() == 0xBEEF)
        #expect(try reader.readUInt32() == 0xDEAD_BEEF)
        #expect(try reader.readUInt64() == UInt64.max - 1)
        #expect(try reader.readInt() == -42)
        #expect(try reader.readFloat() == -1.5)
        #expect(try reader.readDouble() == Double.pi)
        #expect(try reader.readBool() == true)
        #expect(try reader.readString() == "héllo 订单")
        #expect(try reader.readStrings() == ["a", "", "ب"])
        #expect(try reader.readFloats() == [1, -2, .infinity])
        #expect(try reader.readUInt32s() == [1, 2, 3])
        #expect(try reader.readBlob() == [9, 8])
        try reader.expectEnd()
    }

    @Test func littleEndianLayout() {
        var writer = ByteWriter()
        writer.write(UInt32(0x0102_0304))
        #expect(writer.bytes == [4, 3, 2, 1])
    }

    @Test func readingPastTheEndThrowsNamingTheSection() {
        var reader = ByteReader(bytes: [1, 2], section: "LANG")
        #expect(throws: ModelFileError.self) { try reader.readUInt32() }
        do {
            _ = try reader.readUInt64()
        } catch {
            #expect(error.message.hasPrefix("model file section LANG is malformed"))
        }
    }

    @Test func hugeCountsDoNotAllocate() {
        var writer = ByteWriter()
        writer.write(UInt64(1) << 60)   // a float array "count" far larger than the data
        var reader = ByteReader(bytes: writer.bytes, section: "X")
        #expect(throws: ModelFileError.self) { try reader.readFloats() }
    }

    @Test func invalidUTF8AndBooleansAreRejected() {
        var reader = ByteReader(bytes: [2, 0, 0, 0, 0xFF, 0xFE], section: "X")
        #expect(throws: ModelFileError.self) { try reader.readString() }
        var boolean = ByteReader(bytes: [2], section: "X")
        #expect(throws: ModelFileError.self) { try boolean.readBool() }
    }

    @Test func unreadBytesAreDetected() {
        let reader = ByteReader(bytes: [1], section: "X")
        #expect(throws: ModelFileError.self) { try reader.expectEnd() }
    }
}
