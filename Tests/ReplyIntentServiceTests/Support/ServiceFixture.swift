import Alerts
import Foundation
import Logging
import Messages
import ModelCache
import RPC
import ReplyIntentService
import Crypto
import Tenancy
import TenantStore

/// One temporary deployment for the handler tests, built once (the default model takes a moment
/// to load): a tenants directory with
/// - `acme`: `policy.yaml` (mode auto, alerts from LOW, Spanish default, its own model `support`
///   as its default: a link to the shared model file) and an English `order_status` template override;
/// - `broken`: a `policy.yaml` with an unknown mode (so it keeps the defaults and is listed);
/// and a tokens file with `acme` (tenant), `other` (tenant) and `ops` (admin) tokens.
/// Each test makes its own ``ServiceHarness`` (fresh alert hub, own router) over the shared model cache.
final class ServiceFixture: Sendable {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let acmeToken = "acme-secret-token"
    static let otherToken = "other-secret-token"
    static let adminToken = "ops-admin-token"

    static let acmePolicy = """
        mode: auto
        default_language: es
        alert_min_priority: low
        model: support
        """
    static let acmeEnglishTemplates = """
        language: en
        templates:
          order_status: "Acme here{{#buyer_name}}, {{buyer_name}}{{/buyer_name}}: order {{order_id}} is on its way."
        """

    let root: String
    let tenantsDirectory: String
    let dependencies: ServiceDependencies

    private static let loaded = Result { try ServiceFixture() }

    /// The shared fixture (built on first use).
    static func get() throws -> ServiceFixture { try loaded.get() }

    static let directoryPrefix = "replyintent-service-tests-"

    private init() throws {
        Self.removeDirectoriesOfFinishedRuns()
        root = NSTemporaryDirectory() + Self.directoryPrefix + "\(getpid())-\(UUID().uuidString.prefix(8))"
        tenantsDirectory = root + "/tenants"
        try Self.write(Self.acmePolicy, to: tenantsDirectory + "/acme/policy.yaml")
        try Self.write(Self.acmeEnglishTemplates, to: tenantsDirectory + "/acme/templates/en.yaml")
        try Self.write("mode: sometimes\n", to: tenantsDirectory + "/broken/policy.yaml")
        try FileManager.default.createDirectory(atPath: tenantsDirectory + "/acme/models", withIntermediateDirectories: true)
        // A hard link (a copy across file systems): a tenant's model file must be a regular
        // file in its models directory; a symbolic link is refused.
        let support = tenantsDirectory + "/acme/models/support.rimodel"
        let shared = Self.repositoryRoot + "/models/default.rimodel"
        do {
            try FileManager.default.linkItem(atPath: shared, toPath: support)
        } catch {
            try FileManager.default.copyItem(atPath: shared, toPath: support)
        }
        let tokens = try TokenFile.parse(
            yaml: """
                tokens:
                  - tenant: acme
                    sha256: \(SHA256.hexDigest(Self.acmeToken))
                  - tenant: other
                    sha256: \(SHA256.hexDigest(Self.otherToken))
                  - tenant: ops
                    sha256: \(SHA256.hexDigest(Self.adminToken))
                    admin: true
                """)
        dependencies = try ServiceDependencies.load(
            defaultModelPath: Self.repositoryRoot + "/models/default.rimodel", tenantsDirectory: tenantsDirectory,
            templatesDirectory: Self.repositoryRoot + "/Templates", authentication: .tokens(tokens),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// The fixture lives as long as the test process; the next run removes what earlier runs
    /// (whose process is gone) left behind.
    static func removeDirectoriesOfFinishedRuns() {
        let temporary = NSTemporaryDirectory()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        where name.hasPrefix(directoryPrefix) {
            guard let pid = name.dropFirst(directoryPrefix.count).split(separator: "-").first,
                !FileManager.default.fileExists(atPath: "/proc/\(pid)")
            else { continue }
            try? FileManager.default.removeItem(atPath: temporary + name)
        }
    }

    static func write(_ text: String, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// A new harness: the shared model cache and tenants, a fresh alert hub and stream group (so
    /// alert counts and shutdowns are the test's own), optionally another authentication mode, limits or logger.
    func harness(
        authentication: Authenticator.Mode? = nil, limits: ServiceLimits? = nil, logger: Logger? = nil,
        logMessageText: Bool = false, corrections: CorrectionLog? = nil
    ) -> ServiceHarness {
        var dependencies = dependencies
        dependencies.alerts = AlertHub<Alert>()
        dependencies.streams = ConversationStreams()
        if let authentication {
            // Credentials belong to the store's generation: another mode is another store (over
            // the same tenants directory and model cache).
            let store = try! TenantStore(
                layout: dependencies.tenants.layout, bundledTemplatesDirectory: Self.repositoryRoot + "/Templates",
                credentials: Authenticator(mode: authentication))
            let reloads = ReloadCoordinator(
                store: store, models: dependencies.models, tokensFile: nil,
                sharedModelPath: Self.repositoryRoot + "/models/default.rimodel", logger: dependencies.logger)
            dependencies.tenants = store
            dependencies.reloads = reloads
        }
        if let limits { dependencies.limits = limits }
        if let logger { dependencies.logger = logger }
        if let corrections { dependencies.corrections = corrections }
        dependencies.logMessageText = logMessageText
        return ServiceHarness(dependencies: dependencies)
    }
}
