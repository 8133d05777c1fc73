import Foundation

/// A test CA and a `localhost` server certificate, made once per test run by
/// `Certs/make-test-certs.sh` into a temporary directory.
enum PumpTestCertificates {
    static let directory: String = {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Certs/make-test-certs.sh").path
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("replyintent-pump-certs-\(UUID().uuidString)").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, directory]
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            fatalError("cannot run \(script): \(error)")
        }
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "\(script) failed with status \(process.terminationStatus)")
        return directory
    }()

    static func path(_ file: String) -> String { directory + "/" + file }
}
