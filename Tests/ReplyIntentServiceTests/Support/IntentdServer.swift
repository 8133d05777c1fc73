import Foundation

/// A real `intentd` child process in single-tenant mode (no tokens file: every caller is tenant
/// `default`) on a port the kernel picks, for tests that must kill the server or run two.
/// The binary is the one SwiftPM built next to this test bundle.
final class IntentdServer {
    let port: Int
    let process = Process()
    private let output = Pipe()

    struct StartError: Error, CustomStringConvertible { let description: String }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Starts intentd with the repository's model and templates, `tenantsDirectory`, and `extra` flags.
    init(tenantsDirectory: String, extra: [String] = []) throws {
        let buildDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let binary = buildDirectory.appendingPathComponent("intentd")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw StartError(description: "no intentd at \(binary.path): run `swift build` first")
        }
        process.executableURL = binary
        process.arguments = [
            "--host", "127.0.0.1", "--port", "0", "--threads", "1", "--log-level", "warning",
            "--model", Self.repositoryRoot + "/models/default.rimodel",
            "--templates-dir", Self.repositoryRoot + "/Templates", "--tenants-dir", tenantsDirectory,
        ] + extra
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        port = try Self.readListeningPort(from: output.fileHandleForReading, process: process)
    }

    deinit { kill() }

    /// Parses `intentd listening on h2c 127.0.0.1:PORT` from the server's first lines.
    private static func readListeningPort(from handle: FileHandle, process: Process) throws -> Int {
        var text = ""
        let deadline = Date().addingTimeInterval(30)
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

    /// SIGKILL: no drain, no flush, no exit handlers; waits until the process is gone.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then waits for the graceful exit (streams end, the corrections log is fsynced).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
