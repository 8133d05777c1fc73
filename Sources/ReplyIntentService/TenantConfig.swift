public import Policy
public import Replies

/// One tenant's settings as the handlers use them: its policy and its reply composer (bundled
/// templates plus the tenant's overrides). Immutable; a reload builds a new one.
public final class TenantConfig: Sendable {
    public let policy: TenantPolicy
    public let composer: ReplyComposer
    /// Where it came from, for logs and reload reports: "bundled defaults" or the tenant's directory.
    public let origin: String

    public init(policy: TenantPolicy, composer: ReplyComposer, origin: String) {
        self.policy = policy
        self.composer = composer
        self.origin = origin
    }
}

/// A tenant file that could not be used: the tenant kept its previous configuration (or the
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
