import AppendLog
import Foundation
import Glibc
import Testing

/// The writer: files and folders made as needed, fsync before acknowledging or on the interval,
/// the bounded queue, close, symbolic links refused.
@Suite(.timeLimit(.minutes(2))) struct AppendLogWriterTests {
    @Test func filesAndDirectoriesAreCreatedWithTheirModes() async throws {
        let directory = try makeTemporaryDirectory("create")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/tenant/sub/log.jsonl"
        let log = AppendLog()
        try await log.append(Array("hello\n".utf8), to: path)
        #expect(lines(of: path) == ["hello"])  // written before append returned
        log.close()
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.uint16Value == 0o640)
        let folder = try FileManager.default.attributesOfItem(atPath: directory + "/tenant/sub")
        #expect((folder[.posixPermissions] as? NSNumber)?.uint16Value == 0o750)
    }

    @Test func aZeroIntervalSyncsBeforeEachAppendReturns() async throws {
        let directory = try makeTemporaryDirectory("sync-zero")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = AppendLog(configuration: AppendLogConfiguration(fsyncInterval: .zero))
        for index in 1...5 {
            try await log.append(jsonLine(writer: "a", index: index), to: directory + "/log.jsonl")
            #expect(log.statistics.fileSyncs >= index, "line \(index) was acknowledged before its fsync")
        }
        // Lines that arrive together share one fsync per file (group commit), never more than one each.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask { try await log.append(jsonLine(writer: "b", index: index), to: directory + "/log.jsonl") }
            }
            try await group.waitForAll()
        }
        #expect(log.statistics.fileSyncs <= 55)
        log.close()
        #expect(lines(of: directory + "/log.jsonl").count == 55)
    }

    @Test func anIntervalSyncsInTheBackgroundAndCloseSyncsTheRest() async throws {
        let directory = try makeTemporaryDirectory("sync-interval")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hourly = AppendLog(configuration: AppendLogConfiguration(fsyncInterval: .seconds(3600)))
        try await hourly.append(Array("a\n".utf8), to: directory + "/hourly.jsonl")
        #expect(hourly.statistics.fileSyncs == 0)  // acknowledged once written, not synced yet
        hourly.close()
        #expect(hourly.statistics.fileSyncs == 1)

        let quick = AppendLog(configuration: AppendLogConfiguration(fsyncInterval: .milliseconds(50)))
        try await quick.append(Array("b\n".utf8), to: directory + "/quick.jsonl")
        #expect(await eventually(seconds: 50) { quick.statistics.fileSyncs == 1 })
        quick.close()
        #expect(quick.statistics.fileSyncs == 1)  // nothing left unsynced at close
    }

    /// The writer is stuck (opening a FIFO nobody reads blocks): lines past the bound fail at
    /// once instead of queueing; once the writer moves on, the queued ones are all written.
    @Test func linesPastThePendingBoundFailAtOnce() async throws {
        let directory = try makeTemporaryDirectory("bound")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/log.jsonl"
        #expect(mkfifo(path, 0o600) == 0)
        let log = AppendLog(configuration: AppendLogConfiguration(maxPendingLines: 4))
        let accepted = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<4 { group.addTask { try await log.append(jsonLine(writer: "a", index: index), to: path) } }
                try await group.waitForAll()
            }
        }
        // Only a broken test or bound leaves the writer stuck past 20 s: this then opens a reader
        // so that the expectations below fail instead of hanging. (A reader stays open while
        // the writer writes to the FIFO, or the write raises SIGPIPE: both close at the end.)
        let unstick = Task { () -> Int32 in
            try? await Task.sleep(for: .seconds(20))
            return Task.isCancelled ? -1 : open(path, O_RDONLY | O_NONBLOCK)
        }
        #expect(await eventually(seconds: 15) { log.pendingLines == 4 })
        let refusal: AppendLogError?
        do throws(AppendLogError) {
            try await log.append(jsonLine(writer: "a", index: 99), to: path)
            refusal = nil
        } catch {
            refusal = error
        }
        #expect(refusal == .queueFull(limit: 4), "the line past the bound was queued")
        #expect(AppendLogError.queueFull(limit: 4).description.contains("4 lines are already waiting"))

        let reader = open(path, O_RDONLY | O_NONBLOCK)  // lets the writer's open(2) return
        #expect(reader >= 0)
        try await accepted.value
        #expect(log.pendingLines == 0)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(reader, &buffer, buffer.count)
        #expect(String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).split(separator: "\n").count == 4)
        log.close()
        unstick.cancel()
        let unstuck = await unstick.value
        if unstuck >= 0 { close(unstuck) }
        close(reader)
    }

    @Test func closeWritesWhatIsQueuedThenRefusesNewLines() async throws {
        let directory = try makeTemporaryDirectory("close")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/log.jsonl"
        let log = AppendLog()
        try await log.append(Array("before\n".utf8), to: path)
        log.close()
        log.close()  // twice is fine
        await #expect(throws: AppendLogError.closed) { try await log.append(Array("after\n".utf8), to: path) }
        #expect(lines(of: path) == ["before"])
        #expect(AppendLog().pendingLines == 0)  // a log never used starts no thread and closes at once
    }

    @Test func aSymbolicLinkAtThePathIsRefused() async throws {
        let directory = try makeTemporaryDirectory("symlink")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data().write(to: URL(fileURLWithPath: directory + "/target"))
        try FileManager.default.createSymbolicLink(atPath: directory + "/log.jsonl", withDestinationPath: directory + "/target")
        let log = AppendLog()
        do {
            try await log.append(Array("x\n".utf8), to: directory + "/log.jsonl")
            Issue.record("a symbolic link was followed")
        } catch {
            #expect(error.description.contains("symbolic link"))
            #expect(error.description.contains("log.jsonl"))
        }
        log.close()
        #expect(fileSize(directory + "/target") == 0)
    }
}
