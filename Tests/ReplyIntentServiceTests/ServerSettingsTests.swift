import Foundation
import ReplyIntentServer
import Testing

@Suite struct ServerSettingsTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    @Test func theExampleFileListsEveryKeyWithItsDefault() throws {
        let settings = try ServerSettings.load(path: Self.repositoryRoot + "/Config/intentd.example.yaml")
        #expect(settings == ServerSettings())
    }

    @Test func keysOverrideTheDefaults() throws {
        var settings = ServerSettings()
        try settings.apply(yaml: """
            listen: {port: 7000, tls_port: 7443}
            tls: {certificate: c.pem, private_key: k.pem}
            models: {memory_budget_mb: 512, scan_interval_seconds: 2.5}
            tenants: {tokens_file: tokens.yaml}
            logging: {level: debug, format: json, log_message_text: yes}
            """)
        #expect(settings.port == 7000 && settings.tlsPort == 7443)
        #expect(settings.certificatePath == "c.pem" && settings.privateKeyPath == "k.pem")
        #expect(settings.memoryBudgetMB == 512 && settings.scanIntervalSeconds == 2.5)
        #expect(settings.tokensFile == "tokens.yaml")
        #expect(settings.logLevel == "debug" && settings.logFormat == "json" && settings.logMessageText)
        #expect(settings.problem == nil)
    }

    @Test(arguments: [
        ("listen: {prot: 1}", "unknown key 'listen.prot'"),
        ("colour: blue", "unknown key 'colour'"),
        ("listen: {port: 70000}", "listen.port is 70000"),
        ("server: {threads: many}", "server.threads must be a whole number"),
        ("logging: {level: loud}", "logging.level is 'loud'"),
        ("tls: {require_client_certificate: maybe}", "must be true or false"),
        ("listen: [1, 2]", "listen must be a mapping"),
        ("listen: {port: [1]}", "listen.port must be a single value"),
    ])
    func badFilesNameTheKey(yaml: String, expected: String) {
        var settings = ServerSettings()
        #expect {
            try settings.apply(yaml: yaml)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test func inconsistentSettingsAreExplained() {
        var settings = ServerSettings()
        settings.certificatePath = "c.pem"
        #expect(settings.problem?.contains("must be given together") == true)
        settings = ServerSettings()
        settings.requireClientCertificate = true
        #expect(settings.problem?.contains("needs tls.client_ca") == true)
    }
}
