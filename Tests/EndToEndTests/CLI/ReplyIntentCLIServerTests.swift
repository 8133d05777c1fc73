import Foundation
import Synchronization
import Crypto
import Tenancy
import Testing

@testable import intentctl

/// `intentctl classify`, `suggest`, `stream` and `models` as operators run them: the real
/// `intentctl` binary against a real `intentd` (both built next to this test bundle), over
/// loopback, with a tokens file (a tenant token and an admin token) and mutual TLS.
@Suite(.serialized)
struct ReplyIntentCLIServerTests {
    static let acmeToken = "acme-token-0123456789"
    static let adminToken = "ops-admin-token-0123456789"
    static let clientSubject = "CN=replyintent-test-client,O=ReplyIntent Test"

    // MARK: classify

    @Test func classifyPrintsOneJSONObject() throws {
        let deployment = try Deployment()
        let run = try deployment.intentctl([
            "classify", "where is my order? it has not arrived", "--token", Self.acmeToken, "--message-id", "m-1",
            "--conversation-id", "c-1", "--platform", "shopee", "--top-k", "4", "--json",
        ])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.lines.count == 1)
        let classification = try #require(try JSONParser.parse(run.stdout)["classification"])
        #expect(classification["message_id"] == .string("m-1"))
        #expect(classification["conversation_id"] == .string("c-1"))
        #expect(classification["intent"] == .string("order_status"))
        #expect(classification["ranked_intents"]?.arrayCount == 4)
        #expect(classification["language"]?["code"] == .string("en"))
        #expect(classification["model"]?["name"] == .string("default"))
        #expect(classification.keys == [
            "message_id", "conversation_id", "intent", "confidence", "out_of_scope", "ranked_intents", "language",
            "tone_score", "angry", "risk_hits", "priority", "priority_reasons", "model",
        ])
    }

    @Test func classifyPrintsASummaryWithTheTokenFromTheEnvironment() throws {
        let deployment = try Deployment()
        let run = try deployment.intentctl(
            ["classify", "I will open a chargeback with my bank, this is a scam"], environment: ["REPLYINTENT_TOKEN": Self.acmeToken])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.lines.contains { $0.hasPrefix("intent:   ") })
        #expect(run.lines.contains { $0.hasPrefix("risks:    ") && $0.contains("chargeback") })
        #expect(run.lines.contains { $0.hasPrefix("priority: urgent") || $0.hasPrefix("priority: high") })
        #expect(run.lines.contains { $0.hasPrefix("model:    default@") })
    }

    @Test func failedCallsPrintTheStatusAndExitWithItsCode() throws {
        let deployment = try Deployment()
        let anonymous = try deployment.intentctl(["classify", "hello"])
        #expect(anonymous.status == 16)
        #expect(anonymous.stderr.hasPrefix("intentctl: UNAUTHENTICATED: "))
        #expect(anonymous.stdout.isEmpty)
        let wrongToken = try deployment.intentctl(["classify", "hello", "--token", "not-a-known-token"])
        #expect(wrongToken.status == 16)
        let empty = try deployment.intentctl(["classify", "   ", "--token", Self.acmeToken])
        #expect(empty.status == 3)
        #expect(empty.stderr.hasPrefix("intentctl: INVALID_ARGUMENT: "))
        #expect(empty.stderr.contains("text"))
        let notAdmin = try deployment.intentctl(["models", "list", "--token", Self.acmeToken])
        #expect(notAdmin.status == 7)
        #expect(notAdmin.stderr.hasPrefix("intentctl: PERMISSION_DENIED: "))
    }

    // MARK: suggest

    @Test func suggestFillsTheVariables() throws {
        let deployment = try Deployment()
        let run = try deployment.intentctl([
            "suggest", "where is my order?", "--token", Self.acmeToken, "--var", "order_id=A-778", "--var", "eta=Friday",
            "--json",
        ])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let response = try JSONParser.parse(run.stdout)
        #expect(response.keys == [
            "classification", "reply_text", "reply_language", "reply_language_source", "template_id", "missing_variables",
            "decision", "decision_reasons",
        ])
        #expect(response["classification"]?["intent"] == .string("order_status"))
        #expect(response["template_id"] == .string("default/en/order_status"))
        #expect(response["reply_text"]?.stringValue?.contains("A-778") == true)
        #expect(response["missing_variables"]?.strings.contains("order_id") == false)
        #expect(response["decision_reasons"]?.arrayCount ?? 0 > 0)

        let readable = try deployment.intentctl(["suggest", "where is my order?", "--token", Self.acmeToken])
        #expect(readable.status == 0)
        #expect(readable.lines.first?.hasPrefix("decision: ") == true)
        #expect(readable.lines.contains { $0.hasPrefix("reply:    en (the buyer's language), template default/en/order_status") })
        #expect(readable.lines.contains { $0.hasPrefix("missing:  ") && $0.contains("order_id") })
    }

    // MARK: stream

    @Test func streamAnswersEachLineAndReportsBadOnes() throws {
        let deployment = try Deployment()
        let input = """
            {"message": {"message_id": "s1", "conversation_id": "c9", "text": "where is my order?"}}
            {"message": {"text": }}
            {"correction": {"message_id": "s1", "intent": "shipping_info", "agent_id": "ana"}}

            {"text": "¿dónde está mi pedido?", "platform": "lazada"}
            {"message_id": "s5", "text": ""}

            """
        let run = try deployment.intentctl(["stream", "-", "--token", Self.acmeToken], stdin: input)
        #expect(run.status == 65, "stderr: \(run.stderr)")
        let answers = try run.lines.map { try JSONParser.parse($0) }
        #expect(answers.count == 4)
        guard answers.count == 4 else { return }
        #expect(answers[0]["classification"]?["message_id"] == .string("s1"))
        #expect(answers[0]["classification"]?["intent"] == .string("order_status"))
        #expect(answers[1]["correction_recorded"]?["previous_intent"] == .string("order_status"))
        #expect(answers[1]["correction_recorded"]?["corrected_intent"] == .string("shipping_info"))
        #expect(answers[2]["classification"]?["message_id"] == .string("line-5"))
        #expect(answers[2]["classification"]?["language"]?["code"] == .string("es"))
        #expect(answers[3]["error"]?["message_id"] == .string("s5"))
        #expect(answers[3]["error"]?["code"] == .number("3"))
        #expect(run.stderr.contains("intentctl: line 2: invalid JSON at column "))
        #expect(run.stderr.contains("intentctl: 1 input line skipped"))
        let corrections = try String(contentsOfFile: deployment.directory + "/tenants/acme/corrections.jsonl", encoding: .utf8)
        #expect(corrections.contains("shipping_info"))
    }

    @Test func streamSendsEachLineAsItArrives() throws {
        let deployment = try Deployment()
        let session = try deployment.start(["stream", "--token", Self.acmeToken], keepStdinOpen: true)
        session.write(#"{"message_id": "live-1", "text": "where is my order?"}"# + "\n")
        // Answered while stdin is still open: lines are not held back until the input ends.
        #expect(try session.waitForOutput(containing: #""message_id":"live-1""#))
        session.write(#"{"message_id": "live-2", "text": "thank you so much!"}"# + "\n")
        #expect(try session.waitForOutput(containing: #""message_id":"live-2""#))
        try session.closeStdin()
        let run = try session.finish()
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.lines.count == 2)
    }

    @Test func subscribersSeeTheirTenantsAlertsAndResume() throws {
        let deployment = try Deployment()
        let acme = try deployment.start([
            "stream", "--subscribe", "--min-priority", "high", "--max-alerts", "1", "--token", Self.acmeToken,
        ])
        // Another tenant's subscriber, listening while acme's alert is raised.
        let ops = try deployment.start(["stream", "--subscribe", "--for", "3", "--token", Self.adminToken])
        #expect(try acme.waitForOutput(containing: "\"subscribed\""))
        #expect(try ops.waitForOutput(containing: "\"subscribed\""))
        let urgent = try deployment.intentctl([
            "classify", "I will open a chargeback and report this scam to the police", "--token", Self.acmeToken,
            "--message-id", "u1", "--conversation-id", "cu",
        ])
        #expect(urgent.status == 0, "stderr: \(urgent.stderr)")
        let run = try acme.finish()
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let answers = try run.lines.map { try JSONParser.parse($0) }
        #expect(answers.count == 2)
        #expect(answers.first?["subscribed"]?["min_priority"] == .string("PRIORITY_HIGH"))
        let alert = try #require(answers.last?["alert"])
        #expect(alert["message_id"] == .string("u1"))
        #expect(alert["conversation_id"] == .string("cu"))
        #expect(alert["priority"] == .string("PRIORITY_URGENT"))
        #expect(alert["sequence"] == .number("1"))

        let other = try ops.finish()
        #expect(other.status == 0, "stderr: \(other.stderr)")
        #expect(other.lines.count == 1)
        #expect(!other.stdout.contains("\"alert\""))

        // A second alert, then a subscriber that saw alert 1 resumes from the buffer.
        let second = try deployment.intentctl([
            "classify", "this is fraud, my lawyer will hear about it", "--token", Self.acmeToken, "--message-id", "u2",
        ])
        #expect(second.status == 0)
        let resumed = try deployment.intentctl([
            "stream", "--subscribe", "--resume-after", "1", "--max-alerts", "1", "--token", Self.acmeToken,
        ])
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        let resumedAlert = try #require(try resumed.lines.last.map { try JSONParser.parse($0) }?["alert"])
        #expect(resumedAlert["sequence"] == .number("2"))
        #expect(resumedAlert["message_id"] == .string("u2"))
    }

    // MARK: models

    @Test func modelsListAndReloadNeedAnAdmin() throws {
        let deployment = try Deployment()
        let table = try deployment.intentctl(["models", "list", "--token", Self.adminToken])
        #expect(table.status == 0, "stderr: \(table.stderr)")
        #expect(table.lines.first?.hasPrefix("TENANT    NAME     VERSION") == true)
        #expect(table.lines.contains { $0.hasPrefix("(shared)  default  ") && $0.contains("loaded") })
        #expect(table.lines.last?.hasPrefix("memory: ") == true)

        let json = try deployment.intentctl(["models", "list", "--json", "--token", Self.adminToken])
        #expect(json.status == 0)
        let response = try JSONParser.parse(json.stdout)
        #expect(response.keys == ["models", "memory_budget_bytes", "memory_used_bytes"])
        #expect(response["models"]?.arrayCount ?? 0 >= 1)

        let reload = try deployment.intentctl(["models", "reload", "--token", Self.adminToken])
        #expect(reload.status == 0, "stderr: \(reload.stderr)")
        #expect(reload.lines.contains { $0.hasPrefix("(shared)  default  ") })
    }

    // MARK: mutual TLS

    @Test func clientCertificateAuthenticatesWithoutAToken() throws {
        let deployment = try Deployment(tls: true)
        let certificates = try TestCertificates.shared()
        let run = try deployment.intentctl([
            "classify", "where is my order?", "--json", "--client_cert", certificates.clientCertificate, "--client_key",
            certificates.clientKey,
        ])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(try JSONParser.parse(run.stdout)["classification"]?["intent"] == .string("order_status"))
        let withoutCertificate = try deployment.intentctl(["classify", "where is my order?"])
        #expect(withoutCertificate.status == 16)
    }
}

// MARK: - Support

extension ReplyIntentCLIServerTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let buildDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// A finished `intentctl` run.
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// A temporary deployment (tenants directory, tokens file) and `intentd` serving it on a
    /// port the kernel picks.
    final class Deployment {
        let directory: String
        let port: Int
        let tls: Bool
        private let server: Process

        init(tls: Bool = false) throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("intentctl-e2e-\(UUID().uuidString)").path
            do {
                (server, port) = try Self.start(directory: directory, tls: tls)
            } catch {
                try? FileManager.default.removeItem(atPath: directory)
                throw error
            }
            self.directory = directory
            self.tls = tls
        }

        /// Writes the tenants directory and tokens file, starts intentd, reads its port.
        private static func start(directory: String, tls: Bool) throws -> (Process, Int) {
            try FileManager.default.createDirectory(atPath: directory + "/tenants/acme", withIntermediateDirectories: true)
            // acme's entry is salted, ops's is in the legacy sha256 form: intentd takes both.
            let salt = try TokenSalt.random()
            let tokens = """
                salt: \(salt.hex)
                tokens:
                  - tenant: acme
                    hmac_sha256: \(salt.digest(of: ReplyIntentCLIServerTests.acmeToken))
                  - tenant: ops
                    sha256: \(SHA256.hexDigest(ReplyIntentCLIServerTests.adminToken))
                    admin: true
                client_certificates:
                  - subject: "\(ReplyIntentCLIServerTests.clientSubject)"
                    tenant: acme

                """
            try tokens.write(toFile: directory + "/tokens.yaml", atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory + "/tokens.yaml")
            var arguments = [
                "--host", "127.0.0.1", "--port", "0",
                "--model", ReplyIntentCLIServerTests.repository.appendingPathComponent("models/default.rimodel").path,
                "--templates-dir", ReplyIntentCLIServerTests.repository.appendingPathComponent("Templates").path,
                "--tenants-dir", directory + "/tenants", "--tokens-file", directory + "/tokens.yaml",
                "--threads", "1", "--log-level", "warning",
            ]
            if tls {
                let certificates = try TestCertificates.shared()
                arguments += [
                    "--cert", certificates.serverCertificate, "--key", certificates.serverKey,
                    "--client-ca", certificates.caCertificate,
                ]
            }
            let binary = ReplyIntentCLIServerTests.buildDirectory.appendingPathComponent("intentd")
            guard FileManager.default.isExecutableFile(atPath: binary.path) else {
                throw Failure(description: "no intentd at \(binary.path): build it first (swift build)")
            }
            let child = try Child(executable: binary, arguments: arguments, stdin: nil, environment: [:])
            let scheme = tls ? "tls" : "h2c"
            guard try child.waitForOutput(containing: "listening on \(scheme)", seconds: 30),
                let line = child.stdout.split(separator: "\n").first(where: { $0.contains("listening on \(scheme)") }),
                let port = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
            else {
                child.process.terminate()
                let run = try child.finish(seconds: 10)
                throw Failure(
                    description: "intentd did not report a \(scheme) address (exit status \(run.status)); "
                        + "stdout: \(run.stdout) stderr: \(run.stderr)")
            }
            return (child.process, port)
        }

        deinit {
            if server.isRunning {
                server.terminate()
                server.waitUntilExit()
            }
            try? FileManager.default.removeItem(atPath: directory)
        }

        /// The connection flags for this server.
        var connection: [String] {
            var flags = ["--server_host", "127.0.0.1", "--server_port", "\(port)"]
            if tls, let certificates = try? TestCertificates.shared() {
                flags += ["--use_tls", "--ca_file", certificates.caCertificate, "--server_host_override", "localhost"]
            }
            return flags
        }

        /// Starts `intentctl <arguments> <connection flags>`.
        func start(
            _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], keepStdinOpen: Bool = false
        ) throws -> Child {
            let binary = ReplyIntentCLIServerTests.buildDirectory.appendingPathComponent("intentctl")
            return try Child(
                executable: binary, arguments: arguments + connection, stdin: stdin, environment: environment,
                keepStdinOpen: keepStdinOpen)
        }

        /// Runs `intentctl <arguments> <connection flags>` to its end.
        func intentctl(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Run {
            try start(arguments, stdin: stdin, environment: environment).finish()
        }
    }

    /// Collects a pipe's text as it arrives.
    final class Sink: Sendable {
        private let text = Mutex("")
        let closed = DispatchSemaphore(value: 0)
        func append(_ data: Data) { text.withLock { $0 += String(decoding: data, as: UTF8.self) } }
        var value: String { text.withLock { $0 } }

        func attach(_ pipe: Pipe) {
            pipe.fileHandleForReading.readabilityHandler = { [self] handle in
                let data = handle.availableData
                if data.isEmpty {
                    handle.readabilityHandler = nil
                    closed.signal()
                } else {
                    append(data)
                }
            }
        }
    }

    /// A child process whose stdout and stderr are collected while it runs.
    final class Child {
        let process = Process()
        private let out = Sink()
        private let err = Sink()
        private var input: FileHandle?

        /// `stdin`: text written then closed; nil for /dev/null, unless `keepStdinOpen` (then
        /// ``write(_:)`` and ``closeStdin()`` feed it).
        init(
            executable: URL, arguments: [String], stdin: String?, environment: [String: String], keepStdinOpen: Bool = false
        ) throws {
            process.executableURL = executable
            process.arguments = arguments
            var inherited = ProcessInfo.processInfo.environment
            inherited.removeValue(forKey: "REPLYINTENT_TOKEN")
            process.environment = inherited.merging(environment) { $1 }
            let stdoutPipe = Pipe()
            let stderrPipe = Pipe()
            process.standardOutput = stdoutPipe
            process.standardError = stderrPipe
            out.attach(stdoutPipe)
            err.attach(stderrPipe)
            let stdinPipe = Pipe()
            process.standardInput = stdin == nil && !keepStdinOpen ? FileHandle.nullDevice : stdinPipe
            try process.run()
            if let stdin {
                stdinPipe.fileHandleForWriting.write(Data(stdin.utf8))
            }
            if keepStdinOpen {
                input = stdinPipe.fileHandleForWriting
            } else {
                try stdinPipe.fileHandleForWriting.close()
            }
        }

        func write(_ text: String) { input?.write(Data(text.utf8)) }

        func closeStdin() throws {
            try input?.close()
            input = nil
        }

        var stdout: String { out.value }

        /// Waits (bounded) until stdout contains `text`; false if the process ended or time ran out.
        func waitForOutput(containing text: String, seconds: TimeInterval = 30) throws -> Bool {
            let limit = Date().addingTimeInterval(seconds)
            while Date() < limit {
                if out.value.contains(text) { return true }
                if !process.isRunning { return out.value.contains(text) }
                Thread.sleep(forTimeInterval: 0.01)
            }
            return false
        }

        /// Waits for the exit (bounded: a hung command is interrupted and reported).
        func finish(seconds: TimeInterval = 60) throws -> Run {
            let limit = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < limit { Thread.sleep(forTimeInterval: 0.01) }
            if process.isRunning {
                process.interrupt()
                process.waitUntilExit()
                throw Failure(description: "intentctl did not finish within \(seconds) s; stdout: \(out.value) stderr: \(err.value)")
            }
            _ = out.closed.wait(timeout: .now() + 10)
            _ = err.closed.wait(timeout: .now() + 10)
            return Run(status: process.terminationStatus, stdout: out.value, stderr: err.value)
        }
    }
}

/// Reading the CLI's JSON output in assertions.
extension JSONValue {
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    var keys: [String] {
        guard case .object(let members) = self else { return [] }
        return members.map(\.0)
    }

    var arrayCount: Int? {
        guard case .array(let elements) = self else { return nil }
        return elements.count
    }

    var stringValue: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    var strings: [String] {
        guard case .array(let elements) = self else { return [] }
        return elements.compactMap(\.stringValue)
    }
}
