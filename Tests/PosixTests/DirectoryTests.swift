import Foundation
import Posix
import Synchronization
import Testing

/// `Directory` and `FileSystem.readRegularFile`: what is opened is checked on its descriptor,
/// symbolic links are refused inside a directory, and nothing is read past a size limit.
struct DirectoryTests {
    /// A fresh directory with `file` (3 bytes), `sub/` and `link` -> `file`, removed by `deinit`.
    final class Tree {
        let path = NSTemporaryDirectory() + "directory-\(UUID().uuidString)"

        init() throws {
            let fm = FileManager.default
            try fm.createDirectory(atPath: path + "/sub", withIntermediateDirectories: true)
            guard fm.createFile(atPath: path + "/file", contents: Data([1, 2, 3])) else { throw CocoaError(.fileWriteUnknown) }
            try fm.createSymbolicLink(atPath: path + "/link", withDestinationPath: path + "/file")
            try fm.createSymbolicLink(atPath: path + "/sublink", withDestinationPath: path + "/sub")
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        func makeFIFO(_ name: String) throws {
            let mkfifo = Process()
            mkfifo.executableURL = URL(fileURLWithPath: "/usr/bin/mkfifo")
            mkfifo.arguments = [path + "/" + name]
            try mkfifo.run()
            mkfifo.waitUntilExit()
            #expect(mkfifo.terminationStatus == 0)
        }
    }

    private func reason(_ body: () throws -> Void) -> FileAccessError? { Self.refusal(body) }

    /// The refusal `body` threw (nil if it threw none, or something else).
    private static func refusal(_ body: () throws -> Void) -> FileAccessError? {
        do {
            try body()
            return nil
        } catch {
            return error as? FileAccessError
        }
    }

    @Test func aRegularFileIsReadWithTheStatusOfItsDescriptor() throws {
        let tree = try Tree()
        let directory = try Directory(path: tree.path)
        let contents = try directory.readRegularFile("file", maxBytes: 3)
        #expect(contents.bytes == [1, 2, 3])
        #expect(contents.status == FileStatus.of(path: tree.path + "/file"))
        #expect(try FileSystem.readRegularFile(path: tree.path + "/file", maxBytes: 3).bytes == [1, 2, 3])
    }

    @Test func aSymbolicLinkIsRefusedInsideADirectoryAndFollowedByPath() throws {
        let tree = try Tree()
        let directory = try Directory(path: tree.path)
        let refused = reason { _ = try directory.readRegularFile("link", maxBytes: 100) }
        #expect(refused?.reason == .symbolicLink)
        #expect(refused?.path == tree.path + "/link")
        #expect(refused?.status?.type == .symbolicLink)  // the link's own status, not the file's
        #expect(refused?.description == "\(tree.path)/link: is a symbolic link")
        #expect(try FileSystem.readRegularFile(path: tree.path + "/link", maxBytes: 100).bytes == [1, 2, 3])
    }

    @Test func aFileOverTheLimitIsRefusedWithItsSize() throws {
        let tree = try Tree()
        let refused = reason { _ = try Directory(path: tree.path).readRegularFile("file", maxBytes: 2) }
        #expect(refused?.reason == .tooLarge(limit: 2))
        #expect(refused?.status?.size == 3)
        #expect(refused?.description == "\(tree.path)/file: is 3 bytes, more than the limit of 2 bytes")
    }

    @Test func notRegularFilesAreRefusedAndAFIFODoesNotBlock() throws {
        let tree = try Tree()
        try tree.makeFIFO("fifo")
        let path = tree.path
        // On a thread of its own: a blocking open is then a failure, not a hang.
        let done = DispatchSemaphore(value: 0)
        let refusals = Mutex<[FileAccessError?]>([])
        Thread {
            let inDirectory = Self.refusal { _ = try Directory(path: path).readRegularFile("fifo", maxBytes: 100) }
            let byPath = Self.refusal { _ = try FileSystem.readRegularFile(path: path + "/fifo", maxBytes: 100) }
            refusals.withLock { $0 = [inDirectory, byPath] }
            done.signal()
        }.start()
        if done.wait(timeout: .now() + 20) == .timedOut {
            Issue.record("opening a FIFO blocked")
            for _ in 0..<2 { try? FileHandle(forWritingAtPath: path + "/fifo")?.close() }
            done.wait()
        }
        let fifo = refusals.withLock { $0 }
        #expect(fifo.count == 2)
        #expect(fifo.allSatisfy { $0?.reason == .wrongType(.fifo) })
        #expect(fifo.first??.description == "\(tree.path)/fifo: is a FIFO")
        let directory = try Directory(path: tree.path)
        #expect(reason { _ = try directory.readRegularFile("sub", maxBytes: 100) }?.reason == .wrongType(.directory))
        #expect(reason { _ = try directory.readRegularFile("missing", maxBytes: 100) }?.reason == .notFound)
    }

    @Test func subdirectoriesAreOpenedWithoutFollowingLinks() throws {
        let tree = try Tree()
        let directory = try Directory(path: tree.path)
        #expect(try directory.subdirectory("sub").path == tree.path + "/sub")
        #expect(reason { _ = try directory.subdirectory("sublink") }?.reason == .symbolicLink)
        #expect(reason { _ = try directory.subdirectory("file") }?.reason == .wrongType(.regular))
        #expect(reason { _ = try directory.subdirectory("missing") }?.reason == .notFound)
        // The operator's path may itself be a link.
        #expect(try Directory(path: tree.path + "/sublink").entryNames() == [])
    }

    @Test func namesThatLeaveTheDirectoryAreRefused() throws {
        let tree = try Tree()
        let sub = try Directory(path: tree.path).subdirectory("sub")
        for name in ["..", ".", "", "../file", "a/b"] {
            #expect(reason { _ = try sub.readRegularFile(name, maxBytes: 100) } != nil, "\(name)")
            #expect(reason { _ = try sub.subdirectory(name) } != nil, "\(name)")
            #expect(sub.status(of: name) == nil, "\(name)")
        }
    }

    @Test func listingsAndStatusesDoNotFollowLinks() throws {
        let tree = try Tree()
        let directory = try Directory(path: tree.path)
        #expect(try directory.entryNames() == ["file", "link", "sub", "sublink"])
        #expect(try directory.entryNames() == ["file", "link", "sub", "sublink"])  // listed again from the start
        #expect(directory.status(of: "link")?.type == .symbolicLink)
        #expect(directory.status(of: "sublink")?.type == .symbolicLink)
        #expect(directory.status(of: "file")?.size == 3)
        #expect(directory.status(of: "missing") == nil)
        #expect(FileStatus.of(path: tree.path + "/link", followingSymbolicLinks: false)?.type == .symbolicLink)
        #expect(FileStatus.of(path: tree.path + "/link")?.type == .regular)
    }

    @Test func aWatchThatMustNotFollowLinksRefusesOne() throws {
        let tree = try Tree()
        let watcher = try FileWatcher()
        let refused = #expect(throws: SystemCallError.self) {
            try watcher.addWatch(directory: tree.path + "/sublink", followingSymbolicLinks: false)
        }
        #expect(refused?.errno == 20)  // ENOTDIR
        _ = try watcher.addWatch(directory: tree.path + "/sublink")
    }

    @Test func thePeakResidentSetSizeSeesMemoryAlreadyGivenBack() throws {
        try #require(System.resetPeakResidentMemory())
        let before = try #require(System.peakResidentMemoryBytes())
        do {
            let touched = [UInt8](repeating: 1, count: 64 << 20)
            #expect(touched[touched.count / 2] == 1)
        }
        let peak = try #require(System.peakResidentMemoryBytes())
        #expect(peak - before >= 60 << 20)
        #expect(peak >= (System.residentMemoryBytes() ?? .max))
    }
}
