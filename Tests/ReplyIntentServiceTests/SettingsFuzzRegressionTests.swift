import Foundation
import GRPCTransport
@testable import ReplyIntentServer
import Testing

/// Configuration files that crashed intentd at start (Fuzz/Regressions/settings, replayed by
/// Tools/fuzz.sh too): a timeout of 1e300 seconds passed the file's checks (finite, positive) and
/// trapped converting to the transport's durations (`Int64(seconds * 1000)`, `.seconds(...)`).
@Suite struct SettingsFuzzRegressionTests {
    static func regression(_ name: String) throws -> String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return try String(contentsOf: url.appendingPathComponent("Fuzz/Regressions/settings/\(name)"), encoding: .utf8)
    }

    @Test(arguments: [
        ("huge-idle-timeout.yaml", "server.idle_timeout_seconds is 1e300 seconds; it must be at most 1000000000"),
        ("huge-request-timeout.yaml", "server.request_timeout_seconds is 9.9e19 seconds; it must be at most 1000000000"),
    ])
    func hugeTimeoutsInTheFileAreRefusedNamingTheKey(file: String, expected: String) throws {
        let yaml = try Self.regression(file)
        var settings = ServerSettings()
        #expect {
            try settings.apply(yaml: yaml)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    /// Flags set the same values without the file's checks: `problem` refuses them.
    @Test func hugeTimeoutsFromFlagsAreAProblem() {
        for set in [
            { (s: inout ServerSettings) in s.idleTimeoutSeconds = 1e300 },
            { (s: inout ServerSettings) in s.keepaliveTimeSeconds = 1e20 },
            { (s: inout ServerSettings) in s.scanIntervalSeconds = .infinity },
            { (s: inout ServerSettings) in s.maxConnectionAgeGraceSeconds = 2e9 },
        ] {
            var settings = ServerSettings()
            set(&settings)
            #expect(settings.problem?.contains("at most 1000000000 seconds") == true, "\(settings.problem ?? "nil")")
        }
    }

    /// The longest allowed durations convert to the transport's configuration.
    @Test func theLongestAllowedDurationsConvert() throws {
        var settings = ServerSettings()
        let longest = ServerSettings.maxDurationSeconds
        settings.idleTimeoutSeconds = longest
        settings.drainTimeoutSeconds = longest
        settings.requestTimeoutSeconds = longest
        settings.keepaliveTimeSeconds = longest
        settings.keepaliveTimeoutSeconds = longest
        settings.maxConnectionAgeSeconds = longest
        settings.maxConnectionAgeGraceSeconds = longest
        settings.responseStallTimeoutSeconds = longest
        #expect(settings.problem == nil)
        let configuration = try ReplyIntentApplication.transportConfiguration(settings)
        #expect(configuration.idleTimeout == .seconds(1_000_000_000))
        #expect(configuration.maxConnectionAge == .seconds(1_000_000_000))
    }
}
