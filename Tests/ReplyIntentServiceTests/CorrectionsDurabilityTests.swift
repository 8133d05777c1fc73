import Foundation
import GRPCTransport
import Testing

/// The corrections log against real intentd processes: an acknowledged correction survives
/// `kill -9`, and two processes sharing a tenants directory lose none of each other's lines.
@Suite(.serialized, .timeLimit(.minutes(3))) struct CorrectionsDurabilityTests {
    private static func makeTenantsDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "replyintent-durability-\(UUID().uuidString.prefix(8))/tenants"
        try FileManager.default.createDirectory(atPath: path + "/default", withIntermediateDirectories: true)
        return path
    }

    /// The message ids of every line in every corrections file of tenant `default`; records an
    /// issue for a line that is not one whole JSON object.
    private static func recordedIDs(in tenants: String) throws -> [String] {
        let directory = tenants + "/default"
        var ids: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasPrefix("corrections") {
            let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            #expect(text.isEmpty || text.hasSuffix("\n"), "\(name) ends in a partial line")
            for (number, line) in text.split(separator: "\n").enumerated() {
                guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: String],
                    let id = object["message_id"]
                else {
                    Issue.record("\(name) line \(number + 1) is not a whole corrections line: \(line.prefix(200))")
                    continue
                }
                ids.append(id)
            }
        }
        return ids
    }

    /// Streams corrections into intentd, SIGKILLs it mid-run, and finds every correction it
    /// acknowledged in the file (the default one-second fsync interval: written before the
    /// acknowledgement is what survives a killed process; only a power loss needs the fsync).
    @Test func everyAcknowledgedCorrectionSurvivesKill9() async throws {
        let tenants = try Self.makeTenantsDirectory()
        defer { try? FileManager.default.removeItem(atPath: (tenants as NSString).deletingLastPathComponent) }
        let server = try IntentdServer(tenantsDirectory: tenants)
        let channel = try GRPCChannel(configuration: ChannelConfiguration(host: "127.0.0.1", port: server.port))
        defer { channel.close() }
        let acknowledged = CorrectionSender.Acknowledged()
        let perStream = 20_000
        let senders = Task {
            await withTaskGroup(of: Void.self) { group in
                for stream in 0..<3 {
                    group.addTask {
                        try? await CorrectionSender(channel: channel, acknowledged: acknowledged)
                            .send(prefix: "s\(stream)", count: perStream)
                    }
                }
            }
        }
        // Kill once a good number are acknowledged and more are in flight.
        let deadline = Date().addingTimeInterval(120)
        while acknowledged.count < 1500 && Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        server.kill()
        await senders.value
        let acked = acknowledged.all
        #expect(acked.count >= 1500)
        #expect(acked.count < 3 * perStream, "the server was killed after it answered everything")
        #expect(acknowledged.itemErrors.isEmpty, "\(acknowledged.itemErrors.prefix(3))")

        let recorded = Set(try Self.recordedIDs(in: tenants))
        let lost = acked.subtracting(recorded)
        #expect(lost.isEmpty, "\(lost.count) of \(acked.count) acknowledged corrections are not in the file, e.g. \(lost.prefix(5))")
    }

    /// Two intentd processes on different ports share one tenants directory; each records N
    /// corrections from two streams, with a 1 MiB limit so the file also rotates while both
    /// write. Every line is whole, and each correction is there exactly once.
    @Test func twoProcessesSharingATenantsDirectoryLoseNoCorrection() async throws {
        let tenants = try Self.makeTenantsDirectory()
        defer { try? FileManager.default.removeItem(atPath: (tenants as NSString).deletingLastPathComponent) }
        let flags = ["--corrections-max-file-mb", "1", "--corrections-keep-files", "50"]
        let first = try IntentdServer(tenantsDirectory: tenants, extra: flags)
        let second = try IntentdServer(tenantsDirectory: tenants, extra: flags)
        let channels = try [first, second].map {
            try GRPCChannel(configuration: ChannelConfiguration(host: "127.0.0.1", port: $0.port))
        }
        defer { for channel in channels { channel.close() } }
        let acknowledged = CorrectionSender.Acknowledged()
        let perStream = 1500
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (server, channel) in channels.enumerated() {
                for stream in 0..<2 {
                    group.addTask {
                        try await CorrectionSender(channel: channel, acknowledged: acknowledged)
                            .send(prefix: "p\(server)s\(stream)", count: perStream)
                    }
                }
            }
            try await group.waitForAll()
        }
        first.stop()
        second.stop()
        #expect(acknowledged.itemErrors.isEmpty, "\(acknowledged.itemErrors.prefix(3))")
        #expect(acknowledged.count == 4 * perStream)

        let ids = try Self.recordedIDs(in: tenants)
        #expect(ids.count == 4 * perStream, "\(ids.count) lines for \(4 * perStream) corrections")
        let missing = acknowledged.all.subtracting(ids)
        #expect(missing.isEmpty, "\(missing.count) acknowledged corrections are missing, e.g. \(missing.prefix(5))")
        let files = try FileManager.default.contentsOfDirectory(atPath: tenants + "/default")
        #expect(files.contains("corrections.1.jsonl"), "the shared file never rotated: \(files)")
    }
}
