import Foundation
import Synchronization

/// A fresh empty directory under the temporary directory; the caller removes it.
func makeTemporaryDirectory(_ label: String) throws -> String {
    let path = NSTemporaryDirectory() + "appendlog-\(label)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A JSON line with a sequence number, padded so lines have a known length.
func jsonLine(writer: String, index: Int, padding: Int = 0) -> [UInt8] {
    Array(#"{"writer":"\#(writer)","index":\#(index),"pad":"\#(String(repeating: "x", count: padding))"}"#.utf8) + [10]
}

/// The lines of a file (none when it does not exist).
func lines(of path: String) -> [String] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

/// Every line parsed as a JSON object; a line that is not one (two lines run together, a torn
/// write) fails the parse and comes back as nil.
func parsedObjects(_ lines: [String]) -> [[String: Any]?] {
    lines.map { line in (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] }
}

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? -1
}

func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

/// Polls `condition` every 10 ms for up to `seconds`.
func eventually(seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

/// A flag one task sets and another reads.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
