public import Policy
internal import Replies
internal import Synchronization
public import Tenancy

/// The tenants as requests see them: one published generation (every tenant's
/// ``TenantSnapshot`` and the credentials of the tokens file), swapped whole by the
/// ``ReloadCoordinator``, the only writer.
///
/// Lookups never block and never read a file: every tenant directory is loaded by a reload
/// (the first one when the coordinator starts); a tenant without one gets ``defaultSnapshot``.
/// ``admit(authorization:certificateSubject:)`` answers the caller's principal together with
/// its tenant's snapshot of the same generation, and the request keeps both to its end.
public final class TenantStore: Sendable {
    public let layout: TenantLayout
    /// The snapshot of a tenant without files of its own: the default policy, the bundled templates.
    public let defaultSnapshot: TenantSnapshot
    let defaultPolicy: TenantPolicy
    let bundledTemplates: TemplateSet
    private let current: Mutex<TenantGeneration>

    /// Loads the bundled templates (a broken bundled file is a start-up error). Holds no tenant
    /// until the coordinator's first reload.
    public init(
        layout: TenantLayout, bundledTemplatesDirectory: String, defaultPolicy: TenantPolicy = .default,
        credentials: Authenticator
    ) throws {
        self.layout = layout
        self.defaultPolicy = defaultPolicy
        bundledTemplates = try TemplateSet.load(directory: bundledTemplatesDirectory, owner: ReplyCatalog.bundledOwner)
        defaultSnapshot = TenantSnapshot(
            tenant: nil, policy: defaultPolicy, composer: ReplyComposer(defaults: bundledTemplates, tenant: nil),
            modelVersions: [:], origin: "bundled defaults", generation: 0)
        current = Mutex(TenantGeneration(number: 0, tenants: [:], credentials: credentials, problems: []))
    }

    /// The tenant's current snapshot. Never blocks, never reads a file.
    public func snapshot(for tenant: TenantID) -> TenantSnapshot {
        current.withLock { $0 }.tenants[tenant] ?? defaultSnapshot
    }

    /// The caller, authenticated against the current credentials, with its tenant's snapshot of
    /// the same generation. Never blocks.
    public func admit(authorization: String?, certificateSubject: String?) -> Result<TenantAdmission, AuthenticationError> {
        let generation = current.withLock { $0 }
        return generation.credentials.authenticate(authorization: authorization, certificateSubject: certificateSubject)
            .map { TenantAdmission(principal: $0, tenant: generation.tenants[$0.tenant] ?? defaultSnapshot) }
    }

    /// The generation in force: 0 before the first reload, one more per reload that changed something.
    public var generation: UInt64 { current.withLock { $0 }.number }

    /// The tenant files that could not be used, one per tenant (the latest), sorted by tenant.
    public func problems() -> [TenantConfigProblem] { current.withLock { $0 }.problems }

    var published: TenantGeneration { current.withLock { $0 } }

    /// Swaps in a new generation (the coordinator's swap step).
    func publish(_ generation: TenantGeneration) {
        current.withLock { $0 = generation }
    }
}

/// A caller admitted at its call's HEADERS: who it is, and its tenant's snapshot.
public struct TenantAdmission: Sendable {
    public let principal: Principal
    public let tenant: TenantSnapshot
}

/// What one reload published: immutable, replaced whole.
final class TenantGeneration: Sendable {
    let number: UInt64
    let tenants: [TenantID: TenantSnapshot]
    let credentials: Authenticator
    let problems: [TenantConfigProblem]

    init(number: UInt64, tenants: [TenantID: TenantSnapshot], credentials: Authenticator, problems: [TenantConfigProblem]) {
        self.number = number
        self.tenants = tenants
        self.credentials = credentials
        self.problems = problems
    }
}
