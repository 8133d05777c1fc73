import AppendLog
import Foundation
import Posix
import Testing

/// Size-bounded rotation: `x.jsonl` → `x.1.jsonl` → … → `x.<keep>.jsonl`, the oldest dropped.
@Suite(.timeLimit(.minutes(2))) struct AppendLogRotationTests {
    @Test func rotationAtTheSizeLimitKeepsKeepFilesGenerations() async throws {
        let directory = try makeTemporaryDirectory("rotation")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/corrections.jsonl"
        let lineLength = jsonLine(writer: "a", index: 0, padding: 70).count  // the index is one digit here
        let log = AppendLog(configuration: AppendLogConfiguration(maxFileBytes: 1000, keepFiles: 3))
        for index in 0..<200 { try await log.append(jsonLine(writer: "a", index: index, padding: 70), to: path) }
        log.close()

        let generations = [path] + (1...3).map { directory + "/corrections.\($0).jsonl" }
        for file in generations {
            #expect(fileExists(file), "\(file) is missing")
            #expect(fileSize(file) <= 1000, "\(file) is over the limit")
        }
        #expect(!fileExists(directory + "/corrections.4.jsonl"), "a fourth rotated file was kept")
        // Oldest generation first, then the live file: the newest lines, in order, without a gap.
        let kept = generations.reversed().flatMap { lines(of: $0) }
        let indexes = parsedObjects(kept).map { $0?["index"] as? Int ?? -1 }
        #expect(indexes.last == 199)
        #expect(indexes == Array((200 - indexes.count)..<200))
        // Every rotated file was full: no line of the next would have fitted.
        for file in generations.dropFirst() { #expect(fileSize(file) + lineLength + 2 > 1000) }
        #expect(log.statistics.rotations >= 200 * lineLength / 1000 - 1)
    }

    @Test func generationsBeyondKeepFilesLeftByAnEarlierSettingAreDeleted() async throws {
        let directory = try makeTemporaryDirectory("rotation-extra")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/log.jsonl"
        for generation in 1...6 { try Data("old \(generation)\n".utf8).write(to: URL(fileURLWithPath: directory + "/log.\(generation).jsonl")) }
        try Data(String(repeating: "y", count: 99).utf8 + [10]).write(to: URL(fileURLWithPath: path))
        let log = AppendLog(configuration: AppendLogConfiguration(maxFileBytes: 100, keepFiles: 2))
        try await log.append(Array("new\n".utf8), to: path)
        log.close()
        #expect(lines(of: path) == ["new"])
        #expect(lines(of: directory + "/log.1.jsonl") == [String(repeating: "y", count: 99)])
        #expect(lines(of: directory + "/log.2.jsonl") == ["old 1"])
        for generation in 3...7 { #expect(!fileExists(directory + "/log.\(generation).jsonl")) }
    }

    @Test func aLineLongerThanTheLimitGoesAloneIntoAFreshFile() async throws {
        let directory = try makeTemporaryDirectory("rotation-long")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/log.jsonl"
        let log = AppendLog(configuration: AppendLogConfiguration(maxFileBytes: 50, keepFiles: 2))
        try await log.append(Array("short\n".utf8), to: path)
        try await log.append(Array((String(repeating: "z", count: 80) + "\n").utf8), to: path)
        try await log.append(Array("after\n".utf8), to: path)
        log.close()
        #expect(lines(of: directory + "/log.2.jsonl") == ["short"])
        #expect(lines(of: directory + "/log.1.jsonl") == [String(repeating: "z", count: 80)])
        #expect(lines(of: path) == ["after"])
    }

    /// Another process rotated the file (renamed it away): the next line goes to the live path,
    /// not into the renamed file this log still has open.
    @Test func aFileRenamedAwayByAnotherProcessIsReopenedAtItsPath() async throws {
        let directory = try makeTemporaryDirectory("reopen")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/log.jsonl"
        let log = AppendLog()
        try await log.append(Array("one\n".utf8), to: path)
        try FileManager.default.moveItem(atPath: path, toPath: directory + "/log.1.jsonl")
        try await log.append(Array("two\n".utf8), to: path)
        try FileManager.default.removeItem(atPath: path)
        try await log.append(Array("three\n".utf8), to: path)
        log.close()
        #expect(lines(of: directory + "/log.1.jsonl") == ["one"])
        #expect(lines(of: path) == ["three"])
        #expect(log.statistics.reopens == 2)
    }
}

/// Rotations take turns between processes: the directory `flock` is held by "another process"
/// (this test), which rotates meanwhile; the log waits, looks again, finds the live file
/// already fresh and writes to it instead of rotating a second time.
@Suite(.timeLimit(.minutes(2))) struct AppendLogRotationLockTests {
    @Test func aRotationWaitsForTheDirectoryLockAndIsNotRepeated() async throws {
        let directory = try makeTemporaryDirectory("rotation-lock")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/log.jsonl"
        let full = String(repeating: "f", count: 89)
        let log = AppendLog(configuration: AppendLogConfiguration(maxFileBytes: 100, keepFiles: 5))
        try await log.append(Array((full + "\n").utf8), to: path)

        let lock = try DirectoryLock(path: directory)
        let done = Flag()
        let append = Task {
            try await log.append(Array("needs a rotation\n".utf8), to: path)
            done.set()
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(!done.isSet, "the log rotated while another process held the directory lock")
        try FileManager.default.moveItem(atPath: path, toPath: directory + "/log.1.jsonl")
        try Data("other process\n".utf8).write(to: URL(fileURLWithPath: path))
        lock.unlock()
        try await append.value
        log.close()

        #expect(lines(of: directory + "/log.1.jsonl") == [full])
        #expect(lines(of: path) == ["other process", "needs a rotation"])
        #expect(!fileExists(directory + "/log.2.jsonl"))
        #expect(log.statistics.rotations == 0 && log.statistics.reopens == 1)
    }
}
