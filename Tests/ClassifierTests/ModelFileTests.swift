import Testing
@testable import Classifier

@Suite struct ModelFileTests {
    let bytes = TestModels.bytes

    func failure(_ bytes: [UInt8]) -> ModelFileError? {
        do {
            _ = try IntentModel.load(bytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func validFileLoads() throws {
        let model = try IntentModel.load(bytes: bytes)
        #expect(model.metadata == TestModels.model.metadata)
    }

    @Test func emptyFileIsRejected() {
        let error = failure([])
        #expect(error?.kind == .empty)
        #expect(error?.message == "model file is empty (0 bytes)")
    }

    @Test func foreignFilesAreRejected() {
        let foreignFiles: [[UInt8]] = [Array("{\"json\": true}".utf8), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [0x52, 0x49], Array("RIMX".utf8) + Array(bytes.dropFirst(4))]
        for foreign in foreignFiles {
            let error = failure(foreign)
            #expect(error?.kind == .badMagic)
            #expect(error?.message.contains("not a ReplyIntent model file") == true)
        }
    }

    @Test func futureVersionIsRejected() {
        var future = bytes
        future[4] = 3
        future[5] = 0
        let error = failure(future)
        #expect(error?.kind == .unsupportedVersion)
        #expect(error?.message == "unsupported format version 3 (this build reads 1)")
    }

    @Test(arguments: [5, 19, 20, 100, 5000, -1, -4, -5])
    func truncatedFilesAreRejected(cut: Int) {
        let length = cut > 0 ? cut : bytes.count + cut
        let error = failure(Array(bytes.prefix(length)))
        #expect(error?.kind == .truncated)
        if length >= 20 { #expect(error?.message == "model file truncated at byte \(length) of \(bytes.count)") }
    }

    @Test func trailingBytesAreRejected() {
        let error = failure(bytes + [0, 0, 0])
        #expect(error?.kind == .trailingBytes)
    }

    @Test(arguments: [24, 40, 1000, 20_000, -5, -1])
    func flippedByteIsCaughtByChecksum(position: Int) {
        var corrupt = bytes
        let index = position >= 0 ? position : bytes.count + position
        corrupt[index] ^= 0x40
        let error = failure(corrupt)
        #expect(error?.kind == .checksumMismatch)
        #expect(error?.message.hasPrefix("checksum mismatch: file is corrupt") == true)
    }

    /// A file with a valid container but a broken section (as if written by a buggy writer).
    @Test func malformedSectionIsRejected() throws {
        let file = try ModelFile.decode(bytes)
        var sections = file.sections
        let index = sections.firstIndex { $0.tag == "INTN" }!
        sections[index] = ModelFile.Section(tag: "INTN", payload: Array(sections[index].payload.prefix(100)))
        let error = failure(ModelFile(sections: sections).encode())
        #expect(error?.kind == .malformedSection)
        #expect(error?.message.hasPrefix("model file section INTN is malformed") == true)
    }

    @Test func missingSectionIsRejected() throws {
        let file = try ModelFile.decode(bytes)
        let error = failure(ModelFile(sections: file.sections.filter { $0.tag != "INTN" }).encode())
        #expect(error?.kind == .missingSection)
        #expect(error?.message.hasPrefix("model file has no INTN section") == true)
    }

    @Test func unknownSectionsAreIgnored() throws {
        let file = try ModelFile.decode(bytes)
        let extended = ModelFile(sections: file.sections + [ModelFile.Section(tag: "XTRA", payload: [1, 2, 3])]).encode()
        let model = try IntentModel.load(bytes: extended)
        #expect(model.metadata == TestModels.model.metadata)
    }

    @Test func missingFileHasClearError() {
        #expect(throws: ModelFileError(.io, "cannot read model file /nonexistent/x.rimodel: no such file")) {
            try IntentModel.load(path: "/nonexistent/x.rimodel")
        }
    }
}
