import Foundation

/// Test certificates made by Certs/make-test-certs.sh in temporary directories (once per run).
enum TestPKI {
    /// The PKI the tests trust: ca.pem, server.pem/key, client.pem/key.
    static let main = make()
    /// An unrelated PKI (a different CA) for "wrong CA" tests.
    static let other = make()

    static func path(_ file: String, in dir: String = main) -> String { dir + "/" + file }

    private static func make() -> String {
        let script = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Certs/make-test-certs.sh").path
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("replyintent-tls-tests-\(UUID().uuidString)").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, dir]
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            fatalError("cannot run \(script): \(error)")
        }
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "\(script) failed with status \(process.terminationStatus)")
        return dir
    }
}
