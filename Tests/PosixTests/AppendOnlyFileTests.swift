import Foundation
import Posix
import Testing

struct AppendOnlyFileTests {
    private func makeDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "appendonly-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func appendsGoToTheEndEvenAfterAnotherWriterAppended() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/log"
        let first = try AppendOnlyFile(path: path)
        let second = try AppendOnlyFile(path: path)
        try first.append(Array("one\n".utf8))
        try second.append(Array("two\n".utf8))
        try first.append(Array("three\n".utf8))
        try first.sync()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "one\ntwo\nthree\n")
        let status = try first.status()
        #expect(status.size == 14 && status.isAtPath)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.uint16Value == 0o640)
    }

    @Test func statusNoticesARenameOrDeletionOfThePath() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try AppendOnlyFile(path: directory + "/log")
        try file.append(Array("x\n".utf8))
        try FileSystem.rename(directory + "/log", over: directory + "/log.1")
        let renamed = try file.status()
        #expect(renamed.size == 2 && !renamed.isAtPath)
        try Data().write(to: URL(fileURLWithPath: directory + "/log"))
        #expect(try file.status().isAtPath == false)  // a new file at the path is another inode
        #expect(try FileSystem.removeFile(directory + "/log"))
        #expect(try !FileSystem.removeFile(directory + "/log"))
        #expect(try file.status().isAtPath == false)
        file.close()
        file.close()
    }

    @Test func aSymbolicLinkIsRefused() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createSymbolicLink(atPath: directory + "/log", withDestinationPath: directory + "/elsewhere")
        #expect {
            _ = try AppendOnlyFile(path: directory + "/log")
        } throws: { error in
            (error as? SystemCallError)?.isSymbolicLinkRefused == true
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/elsewhere"))
    }

    @Test func makeDirectoriesCreatesEveryMissingLevel() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileSystem.makeDirectories(directory + "/a/b/c")
        try FileSystem.makeDirectories(directory + "/a/b/c")  // existing: fine
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: directory + "/a/b/c", isDirectory: &isDirectory) && isDirectory.boolValue)
        try FileSystem.syncDirectory(directory + "/a/b")
        try Data().write(to: URL(fileURLWithPath: directory + "/file"))
        #expect(throws: SystemCallError.self) { try FileSystem.makeDirectories(directory + "/file/sub") }
        #expect {
            try FileSystem.syncDirectory(directory + "/missing")
        } throws: { error in
            (error as? SystemCallError)?.isNoSuchFile == true
        }
    }

    @Test func aDirectoryLockExcludesASecondHolderUntilUnlocked() async throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lock = try DirectoryLock(path: directory)
        // On a thread of its own: flock blocks it until the first lock is released.
        let acquired = Task {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<UInt64, any Error>) in
                Thread {
                    continuation.resume(with: Result { () throws -> UInt64 in
                        let second = try DirectoryLock(path: directory)
                        defer { second.unlock() }
                        return monotonicNanoseconds()
                    })
                }.start()
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        let released = monotonicNanoseconds()
        lock.unlock()
        #expect(try await acquired.value >= released)
    }
}
