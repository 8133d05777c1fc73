import Foundation
import Logging
@testable import ReplyIntentServer
@testable import ReplyIntentService
import Tenancy
import TenantStore
import Testing

/// The `corrections.*` settings reach the application's corrections log, and shutdown closes it.
@Suite(.timeLimit(.minutes(1))) struct ApplicationCorrectionsTests {
    @Test func theCorrectionsSettingsAreWiredAndShutdownClosesTheLog() async throws {
        let root = NSTemporaryDirectory() + "replyintent-app-corrections-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root + "/tenants", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        var settings = ServerSettings()
        settings.host = "127.0.0.1"
        settings.port = 0
        settings.threads = 1
        settings.defaultModelPath = ReloadModelFiles.sharedModelPath
        settings.templatesDirectory = ReloadModelFiles.templatesDirectory
        settings.tenantsDirectory = root + "/tenants"
        settings.correctionsFsyncIntervalMs = 0
        settings.correctionsMaxFileMB = 3
        settings.correctionsKeepFiles = 7
        let application = try ReplyIntentApplication(settings: settings, logger: Logger(label: "corrections-test"))
        defer { application.shutdown() }

        let log = application.corrections
        #expect(log.layout.tenantsDirectory == root + "/tenants")
        #expect(log.settings.fsyncIntervalMilliseconds == 0)
        #expect(log.settings.maxFileBytes == 3 << 20)
        #expect(log.settings.keepFiles == 7)

        let entry = CorrectionEntry(
            timeUnixMs: 0, tenant: .singleTenant, messageID: "m", conversationID: "c", previousIntent: "",
            correctedIntent: "refund_request", agentID: "a")
        try await log.append(entry)
        application.shutdown()
        await #expect(throws: CorrectionLogError.self) { try await log.append(entry) }
        let text = try String(contentsOfFile: root + "/tenants/default/corrections.jsonl", encoding: .utf8)
        #expect(text.split(separator: "\n").count == 1)
    }
}
