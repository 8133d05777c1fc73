import AppendLog
import Foundation
import Testing

/// Two logs on one directory stand in for two processes (each has its own descriptors, its own
/// writer thread, and coordinates only through the file system, as processes do).
@Suite(.timeLimit(.minutes(2))) struct AppendLogSharingTests {
    /// Appends `count` lines for `writer` from 8 concurrent tasks.
    private func appendConcurrently(_ log: AppendLog, writer: String, count: Int, to path: String) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for part in 0..<8 {
                group.addTask {
                    for index in stride(from: part, to: count, by: 8) {
                        try await log.append(jsonLine(writer: writer, index: index, padding: index % 37), to: path)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Every line of every generation, parsed; fails on a line that is not whole JSON.
    private func allObjects(in directory: String, stem: String) throws -> [[String: Any]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(stem) }
        var objects: [[String: Any]] = []
        for name in names {
            for (number, object) in parsedObjects(lines(of: directory + "/" + name)).enumerated() {
                guard let object else {
                    Issue.record("\(name) line \(number + 1) is not a whole JSON line (torn or interleaved)")
                    continue
                }
                objects.append(object)
            }
        }
        return objects
    }

    private func expectEveryLineOnce(_ objects: [[String: Any]], writers: [String], count: Int) {
        var seen: [String: Set<Int>] = [:]
        var duplicates = 0
        for object in objects {
            guard let writer = object["writer"] as? String, let index = object["index"] as? Int else { continue }
            if !seen[writer, default: []].insert(index).inserted { duplicates += 1 }
        }
        #expect(duplicates == 0)
        for writer in writers {
            let missing = count - (seen[writer]?.count ?? 0)
            #expect(missing == 0, "\(missing) of \(writer)'s \(count) acknowledged lines are missing")
        }
    }

    @Test func twoWritersOnOneFileLoseAndInterleaveNothing() async throws {
        let directory = try makeTemporaryDirectory("share")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/corrections.jsonl"
        let first = AppendLog(), second = AppendLog()
        async let a: Void = appendConcurrently(first, writer: "a", count: 4000, to: path)
        async let b: Void = appendConcurrently(second, writer: "b", count: 4000, to: path)
        _ = try await (a, b)
        first.close()
        second.close()
        expectEveryLineOnce(try allObjects(in: directory, stem: "corrections"), writers: ["a", "b"], count: 4000)
        #expect(lines(of: path).count == 8000)
    }

    /// Both rotate the same file while writing (a small limit, enough generations kept that none
    /// is deleted): rotations take turns under the directory lock, a writer whose file was
    /// rotated away reopens the live path, and every line is in exactly one file.
    @Test func twoWritersRotatingTheSameFileLoseNothing() async throws {
        let directory = try makeTemporaryDirectory("share-rotate")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/corrections.jsonl"
        let configuration = AppendLogConfiguration(maxFileBytes: 16 * 1024, keepFiles: 1000)
        let first = AppendLog(configuration: configuration), second = AppendLog(configuration: configuration)
        async let a: Void = appendConcurrently(first, writer: "a", count: 3000, to: path)
        async let b: Void = appendConcurrently(second, writer: "b", count: 3000, to: path)
        _ = try await (a, b)
        first.close()
        second.close()
        let objects = try allObjects(in: directory, stem: "corrections")
        expectEveryLineOnce(objects, writers: ["a", "b"], count: 3000)
        #expect(objects.count == 6000)
        #expect(first.statistics.rotations > 0 && second.statistics.rotations > 0)
        let rotated = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0 != "corrections.jsonl" }
        #expect(rotated.count == first.statistics.rotations + second.statistics.rotations)
        // A file holds at most the limit, plus the few lines the other writer appended to it
        // between its size check and the rename: never a double rotation of one full file.
        for name in rotated { #expect(fileSize(directory + "/" + name) < 2 * 16 * 1024, "\(name)") }
    }
}
