import Foundation
import Testing
import Posix

/// The status of an opened file (mode bits, owner) and bounded reads of it.
struct ReadOnlyFileTests {
    private func makeDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "readonlyfile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(arguments: [0o600, 0o640, 0o644, 0o666, 0o4755] as [Int])
    func statusReportsThePermissionBitsAndTheOwner(mode: Int) throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/file"
        try Data("abc".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)

        let file = try ReadOnlyFile(path: path)
        #expect(file.status.type == .regular)
        #expect(file.status.permissions == UInt32(mode))
        #expect(file.status.ownerID == System.effectiveUserID)
        #expect(file.status.isWritableByGroupOrOthers == (mode & 0o022 != 0))
        #expect(file.status.isReadableByGroupOrOthers == (mode & 0o044 != 0))
        #expect(FileStatus.of(path: path) == file.status, "stat of the path and fstat of the open file agree")
    }

    @Test func aChmodChangesTheFingerprint() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/file"
        try Data("abc".utf8).write(to: URL(fileURLWithPath: path))
        let before = try #require(FileStatus.of(path: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(FileStatus.of(path: path) != before)
    }

    @Test func readsTheWholeFileOrNothingWhenItIsLargerThanTheLimit() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/file"
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        #expect(try ReadOnlyFile(path: path).readAll(maxBytes: 200_000) == bytes)
        #expect(try ReadOnlyFile(path: path).readAll(maxBytes: 199_999) == nil)
        #expect(try ReadOnlyFile(path: path).readAll(maxBytes: 0) == nil)
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(try ReadOnlyFile(path: path).readAll(maxBytes: 0) == [])
    }

    @Test func theStatusIsTheOpenedFilesEvenAfterARename() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/file"
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let file = try ReadOnlyFile(path: path)
        try Data("replacement".utf8).write(to: URL(fileURLWithPath: directory + "/new"))
        try FileSystem.rename(directory + "/new", over: path)
        #expect(try file.readAll(maxBytes: 100) == Array("old".utf8))
        #expect(file.status.size == 3)
    }

    @Test func aDirectoryOrAFIFOOpensWithoutBlockingAndIsNotRegular() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try ReadOnlyFile(path: directory).status.type == .directory)
        let fifo = directory + "/fifo"
        let made = Process()
        made.executableURL = URL(fileURLWithPath: "/usr/bin/mkfifo")
        made.arguments = [fifo]
        try made.run()
        made.waitUntilExit()
        try #require(made.terminationStatus == 0)
        #expect(try ReadOnlyFile(path: fifo).status.type == .fifo)
    }

    @Test func aMissingFileNamesTheCall() {
        do {
            _ = try ReadOnlyFile(path: "/nonexistent/readonlyfile")
            Issue.record("opened a missing file")
        } catch {
            #expect(error.description.hasPrefix("open(/nonexistent/readonlyfile): "))
        }
    }
}
