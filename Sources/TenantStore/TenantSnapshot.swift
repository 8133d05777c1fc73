public import Policy
public import Replies
public import Tenancy

/// One tenant as a request sees it, whole: its policy, its reply composer (bundled templates plus
/// the tenant's overrides) and the versions of its own model files, all from one reload.
/// Immutable; a reload builds a new one and swaps it in, so a request that took this one keeps a
/// consistent view to its end.
public final class TenantSnapshot: Sendable {
    /// The tenant; nil for the shared default snapshot (tenants without a directory).
    public let tenant: TenantID?
    public let policy: TenantPolicy
    public let composer: ReplyComposer
    /// The tenant's own models that serve, by name: the version this snapshot was built with
    /// (``ModelCache`` keeps that version serving for this snapshot while a newer one is swapped in).
    public let modelVersions: [String: String]
    /// Where it came from, for logs and reload reports: "bundled defaults" or the tenant's directory.
    public let origin: String
    /// The store generation that published it.
    public let generation: UInt64

    /// Reloads build snapshots; this initializer is for code that needs one without files (tests).
    public init(
        tenant: TenantID?, policy: TenantPolicy, composer: ReplyComposer, modelVersions: [String: String] = [:],
        origin: String, generation: UInt64 = 0
    ) {
        self.tenant = tenant
        self.policy = policy
        self.composer = composer
        self.modelVersions = modelVersions
        self.origin = origin
        self.generation = generation
    }
}

/// A tenant file that could not be used: the tenant kept its whole previous snapshot (or the
/// defaults, when it never had one).
public struct TenantConfigProblem: Sendable, Equatable, CustomStringConvertible {
    public let tenant: String
    /// What was wrong, naming the file: "policy.yaml: unknown key 'mod' (line 3)".
    public let message: String
    /// When the problem was found, ms since 1970-01-01 UTC.
    public let detectedAtUnixMs: Int64

    public init(tenant: String, message: String, detectedAtUnixMs: Int64) {
        self.tenant = tenant
        self.message = message
        self.detectedAtUnixMs = detectedAtUnixMs
    }

    public var description: String { "tenant \(tenant): \(message)" }
}
