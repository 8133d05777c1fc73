import Foundation
import Synchronization

/// A test CA and a `localhost`/127.0.0.1 server certificate, made once per test run by
/// `Certs/make-test-certs.sh` into a temporary directory.
struct TestCertificates: Sendable {
    let directory: String
    var caCertificate: String { directory + "/ca.pem" }
    var serverCertificate: String { directory + "/server.pem" }
    var serverKey: String { directory + "/server.key" }
    var clientCertificate: String { directory + "/client.pem" }
    var clientKey: String { directory + "/client.key" }

    private static let made = Mutex<Result<TestCertificates, CertificateError>?>(nil)

    struct CertificateError: Error, CustomStringConvertible {
        var description: String
    }

    static func shared() throws -> TestCertificates {
        try made.withLock { cached in
            if let cached { return try cached.get() }
            let result = Result { () throws(CertificateError) in try make() }
            cached = result
            return try result.get()
        }
    }

    private static func make() throws(CertificateError) -> TestCertificates {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("Certs/make-test-certs.sh").path
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("replyintent-e2e-certs-\(ProcessInfo.processInfo.processIdentifier)").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [script, directory]
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                throw CertificateError(description: "\(script) failed (\(process.terminationStatus)): \(text)")
            }
        } catch let error as CertificateError {
            throw error
        } catch {
            throw CertificateError(description: "running \(script): \(error)")
        }
        let certificates = TestCertificates(directory: directory)
        for file in [certificates.caCertificate, certificates.serverCertificate, certificates.serverKey]
        where !FileManager.default.fileExists(atPath: file) {
            throw CertificateError(description: "\(script) did not make \(file)")
        }
        return certificates
    }
}
