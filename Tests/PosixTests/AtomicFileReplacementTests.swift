import Foundation
import Testing
import Posix

/// `FileSystem.replaceAtomically`: the new content with exactly the asked mode, nothing left behind.
struct AtomicFileReplacementTests {
    private func makeDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "atomicreplace-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func createsAFileWithExactlyTheGivenMode() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/secrets.yaml"
        try FileSystem.replaceAtomically(path, with: Array("one\n".utf8), permissions: 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "one\n")
        #expect(FileStatus.of(path: path)?.permissions == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["secrets.yaml"])
    }

    @Test func replacesAnExistingFileAndItsMode() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/secrets.yaml"
        try Data("old content that is longer\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: path)
        let before = try #require(FileStatus.of(path: path))

        try FileSystem.replaceAtomically(path, with: Array("new\n".utf8), permissions: 0o600)
        let after = try #require(FileStatus.of(path: path))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        #expect(after.permissions == 0o600)
        #expect(after.inode != before.inode, "a new file was renamed over the old one")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["secrets.yaml"])
    }

    @Test func aFailureLeavesTheFileAndNoTemporaryFile() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The destination is a non-empty directory: rename(2) fails after the temporary file is written.
        let path = directory + "/occupied"
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        #expect(throws: SystemCallError.self) {
            try FileSystem.replaceAtomically(path, with: Array("x".utf8), permissions: 0o600)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["occupied"])
        #expect(throws: SystemCallError.self) {
            try FileSystem.replaceAtomically(directory + "/missing/file", with: [], permissions: 0o600)
        }
    }

    @Test func rootCanGiveTheFileToAnotherOwner() throws {
        guard System.effectiveUserID == 0 else { return }  // only root may chown
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/secrets.yaml"
        try FileSystem.replaceAtomically(path, with: Array("x".utf8), permissions: 0o600, owner: (4242, 4343))
        let status = try #require(FileStatus.of(path: path))
        #expect(status.ownerID == 4242)
        #expect(status.groupID == 4343)
    }
}
