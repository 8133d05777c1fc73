import Foundation
import Posix

/// A real `intentd` started as a child process on a port the kernel picks, for tests that must
/// measure the server alone (descriptors, memory) or see it survive bad clients.
///
/// The binary is the one SwiftPM built next to this test bundle (`swift build` and `swift test`
/// build every product).
final class IntentdProcess {
    let port: Int
    private let process = Process()
    private let output = Pipe()

    struct StartError: Error, CustomStringConvertible { let description: String }

    init(arguments: [String]) throws {
        let buildDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let binary = buildDirectory.appendingPathComponent("intentd")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw StartError(description: "no intentd at \(binary.path): run `swift build` first")
        }
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        port = try Self.readListeningPort(from: output.fileHandleForReading, process: process)
    }

    /// Parses `intentd listening on h2c 127.0.0.1:PORT` from the server's first lines.
    private static func readListeningPort(from handle: FileHandle, process: Process) throws -> Int {
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty {
                if !process.isRunning { break }
                continue
            }
            text += String(decoding: chunk, as: UTF8.self)
            for line in text.split(separator: "\n") where line.contains("listening on h2c") {
                if let port = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
                    return port
                }
            }
        }
        process.terminate()
        throw StartError(description: "intentd did not report a listening address; it printed: \(text)")
    }

    var isRunning: Bool { process.isRunning }

    /// The server's open descriptors (/proc/PID/fd).
    func openFileDescriptorCount() -> Int? { Posix.openFileDescriptorCount(processID: process.processIdentifier) }

    /// The server's resident memory in bytes (VmRSS).
    func residentMemoryBytes() -> Int? { System.residentMemoryBytes(processID: process.processIdentifier) }

    /// SIGTERM, then wait for the graceful exit.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
