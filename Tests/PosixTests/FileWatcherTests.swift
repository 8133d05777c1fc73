import Foundation
import Testing
import Posix

struct FileWatcherTests {
    /// A fresh empty directory under the temporary directory, removed by the caller.
    private func makeDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "filewatcher-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Reads until `done` says enough arrived, with a generous limit (never a timing assertion:
    /// the limit only stops a broken watcher from hanging the test).
    private func collect(_ watcher: FileWatcher, until done: ([FileWatcher.Event]) -> Bool) throws -> [FileWatcher.Event] {
        var events: [FileWatcher.Event] = []
        for _ in 0..<100 where !done(events) {
            events += try watcher.readEvents(timeoutMilliseconds: 100)
        }
        return events
    }

    @Test func writeThenRenameIsSeenAsCloseWriteThenMovedIn() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let watcher = try FileWatcher()
        let watch = try watcher.addWatch(directory: directory)
        try Data("hello".utf8).write(to: URL(fileURLWithPath: directory + "/model.rimodel.tmp"))
        try FileManager.default.moveItem(atPath: directory + "/model.rimodel.tmp", toPath: directory + "/model.rimodel")

        let events = try collect(watcher) { $0.contains { $0.kind.contains(.movedIn) } }
        #expect(events.allSatisfy { $0.watch == watch })
        #expect(events.contains { $0.name == "model.rimodel.tmp" && $0.kind.contains(.created) })
        #expect(events.contains { $0.name == "model.rimodel.tmp" && $0.kind.contains(.closedAfterWrite) })
        #expect(events.contains { $0.name == "model.rimodel.tmp" && $0.kind.contains(.movedOut) })
        #expect(events.contains { $0.name == "model.rimodel" && $0.kind.contains(.movedIn) })
    }

    @Test func deletionsAndNewDirectoriesAreReported() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = FileManager.default.createFile(atPath: directory + "/a", contents: Data([1, 2, 3]))
        let watcher = try FileWatcher()
        try watcher.addWatch(directory: directory)
        try FileManager.default.removeItem(atPath: directory + "/a")
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: false)

        let events = try collect(watcher) { $0.contains { $0.name == "sub" } }
        #expect(events.contains { $0.name == "a" && $0.kind.contains(.deleted) && !$0.kind.contains(.isDirectory) })
        #expect(events.contains { $0.name == "sub" && $0.kind.contains(.created) && $0.kind.contains(.isDirectory) })
    }

    @Test func deletingTheWatchedDirectoryEndsTheWatch() throws {
        let directory = try makeDirectory()
        let watcher = try FileWatcher()
        let watch = try watcher.addWatch(directory: directory)
        try FileManager.default.removeItem(atPath: directory)

        let events = try collect(watcher) { $0.contains { $0.kind.contains(.watchRemoved) } }
        #expect(events.contains { $0.watch == watch && $0.name.isEmpty && $0.kind.contains(.watchedDirectoryDeleted) })
        #expect(events.contains { $0.watch == watch && $0.kind.contains(.watchRemoved) })
    }

    @Test func quietDirectoryGivesNoEvents() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let watcher = try FileWatcher()
        try watcher.addWatch(directory: directory)
        #expect(try watcher.readEvents(timeoutMilliseconds: 0).isEmpty)
        #expect(try watcher.readEvents(timeoutMilliseconds: 20).isEmpty)
        watcher.close()
        watcher.close()
    }

    @Test func watchingAMissingDirectoryOrAFileFailsWithTheCallNamed() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = FileManager.default.createFile(atPath: directory + "/file", contents: Data())
        let watcher = try FileWatcher()
        let missing = #expect(throws: SystemCallError.self) { try watcher.addWatch(directory: directory + "/missing") }
        #expect(missing?.errno == 2)  // ENOENT
        #expect(missing?.description.contains("inotify_add_watch(\(directory)/missing)") == true)
        let file = #expect(throws: SystemCallError.self) { try watcher.addWatch(directory: directory + "/file") }
        #expect(file?.errno == 20)  // ENOTDIR
    }

    @Test func fileStatusTellsSizeTypeAndChanges() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/f"
        _ = FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3]))
        let first = try #require(FileStatus.of(path: path))
        #expect(first.type == .regular)
        #expect(first.size == 3)
        #expect(FileStatus.of(path: directory)?.type == .directory)
        #expect(FileStatus.of(path: directory + "/missing") == nil)

        // Replaced by rename: a new inode, so the status differs even at the same size.
        _ = FileManager.default.createFile(atPath: path + ".tmp", contents: Data([4, 5, 6]))
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: path + ".tmp", toPath: path)
        let second = try #require(FileStatus.of(path: path))
        #expect(second.size == 3)
        #expect(second != first)
    }
}
