internal import Foundation
public import Logging
public import Policy
internal import Replies
internal import Synchronization
public import Tenancy

/// Every tenant's ``TenantConfig``, built from `<tenants_dir>/<tenant>/policy.yaml` and
/// `<tenants_dir>/<tenant>/templates/*.yaml` on top of the bundled templates.
///
/// ``cachedConfig(for:)`` is on the hot path: a mutex-guarded dictionary lookup that never touches
/// a file, safe on an event loop. A tenant's files are read once, by ``config(for:)`` (which
/// blocks: call it off the loops) the first time it is asked for, and again only when
/// ``reload()`` sees them change (it compares size, modification time and inode, so an unchanged
/// tenant costs a few `stat`s). Every tenant directory present is read at start.
/// A broken file keeps the tenant's previous configuration (the defaults, if it never had one)
/// and is recorded in ``problems()``. Tenants without a directory get the default policy and the
/// bundled templates.
public final class TenantDirectory: Sendable {
    private struct Entry: Sendable {
        var config: TenantConfig
        var state: TenantFileState
        var problem: TenantConfigProblem?
    }

    /// The hot path's view (tenant -> config, a class reference) beside the reload bookkeeping.
    private struct Tenants: Sendable {
        var configs: [TenantID: TenantConfig] = [:]
        var entries: [TenantID: Entry] = [:]

        mutating func set(_ tenant: TenantID, _ entry: Entry) {
            entries[tenant] = entry
            configs[tenant] = entry.config
        }
    }

    /// `<tenants_dir>`; nil when the server has none (every tenant uses the defaults).
    public let tenantsDirectory: String?
    /// The configuration of a tenant without files of its own.
    public let defaultConfig: TenantConfig
    private let bundledTemplates: TemplateSet
    private let tenants = Mutex(Tenants())
    /// Serializes reloads (signal, timer, admin RPC): the build work happens outside the `tenants` lock.
    private let reloadLock = Mutex<Void>(())
    private let logger: Logger

    /// Loads the bundled templates (a broken bundled file is a startup error) and every tenant
    /// directory present now, so that problems are listed from the start.
    public init(
        tenantsDirectory: String?, bundledTemplatesDirectory: String, defaultPolicy: TenantPolicy = .default,
        logger: Logger
    ) throws {
        self.tenantsDirectory = tenantsDirectory
        self.logger = logger
        bundledTemplates = try TemplateSet.load(directory: bundledTemplatesDirectory, owner: ReplyCatalog.bundledOwner)
        defaultConfig = TenantConfig(
            policy: defaultPolicy, composer: ReplyComposer(defaults: bundledTemplates, tenant: nil),
            origin: "bundled defaults")
        reload()
    }

    /// The tenant's configuration if it was read already; nil when ``config(for:)`` must read
    /// its files first. Never blocks.
    public func cachedConfig(for tenant: TenantID) -> TenantConfig? {
        tenants.withLock { $0.configs[tenant] }
    }

    /// The tenant's current configuration. Reads its files the first time it is asked for:
    /// **blocks** on file I/O then, so call it only where blocking is allowed (not on an event
    /// loop, not in a task: use `cachedConfig` there).
    public func config(for tenant: TenantID) -> TenantConfig {
        if let config = tenants.withLock({ $0.configs[tenant] }) { return config }
        let state = readState(of: tenant)
        let entry = build(tenant, state: state, previous: nil)
        return tenants.withLock { all in
            if let existing = all.configs[tenant] { return existing }
            all.set(tenant, entry)
            return entry.config
        }
    }

    /// Rebuilds every tenant whose files changed (and loads tenants whose directory appeared).
    /// Returns one line per change, as `ReloadModelsResponse.changes`.
    @discardableResult
    public func reload() -> [String] {
        reloadLock.withLock { _ in
            var known = Set(tenants.withLock { Array($0.entries.keys) })
            known.formUnion(listTenantDirectories())
            var changes: [String] = []
            for tenant in known.sorted(by: { $0.rawValue < $1.rawValue }) {
                let state = readState(of: tenant)
                let previous = tenants.withLock { $0.entries[tenant] }
                if let previous, previous.state == state { continue }
                let entry = build(tenant, state: state, previous: previous)
                tenants.withLock { $0.set(tenant, entry) }
                // The caller logs the returned lines (the server does, once per reload).
                if let line = describeChange(tenant, from: previous, to: entry) { changes.append(line) }
            }
            return changes
        }
    }

    /// The tenant files that could not be used, one per tenant (the latest), sorted by tenant.
    public func problems() -> [TenantConfigProblem] {
        tenants.withLock { all in all.entries.values.compactMap(\.problem) }.sorted { $0.tenant < $1.tenant }
    }

    /// The tenant's directory; tenant ids are validated, so this is always a plain child directory.
    public func directory(of tenant: TenantID) -> String? {
        tenantsDirectory.map { $0 + "/" + tenant.rawValue }
    }

    private func readState(of tenant: TenantID) -> TenantFileState {
        guard let directory = directory(of: tenant) else { return .absent }
        return TenantFileState.read(directory: directory)
    }

    private func listTenantDirectories() -> [TenantID] {
        guard let tenantsDirectory,
            let names = try? FileManager.default.contentsOfDirectory(atPath: tenantsDirectory)
        else { return [] }
        return names.compactMap { TenantID($0) }
    }

    private func build(_ tenant: TenantID, state: TenantFileState, previous: Entry?) -> Entry {
        guard state.exists, let directory = directory(of: tenant) else {
            return Entry(config: defaultConfig, state: state, problem: nil)
        }
        do {
            return Entry(config: try loadConfig(directory: directory, tenant: tenant, state: state), state: state, problem: nil)
        } catch {
            let problem = TenantConfigProblem(
                tenant: tenant.rawValue, message: "\(error)", detectedAtUnixMs: UnixTime.nowMilliseconds())
            logger.warning(
                "tenant configuration rejected; keeping the previous one",
                metadata: ["tenant": "\(tenant)", "problem": "\(problem.message)"])
            // Keep what served before; remember the new state so the same broken files are not
            // parsed again on every reload (a fix changes the state again).
            return Entry(config: previous?.config ?? defaultConfig, state: state, problem: problem)
        }
    }

    private func loadConfig(directory: String, tenant: TenantID, state: TenantFileState) throws -> TenantConfig {
        if let tenantsDirectory { try TenantFileGuard.checkDirectory(directory, tenantsDirectory: tenantsDirectory) }
        var policy = defaultConfig.policy
        if state.hasPolicy {
            try TenantFileGuard.check(directory + "/" + TenantFileState.policyFileName, tenantDirectory: directory)
            policy = try TenantPolicy.load(path: directory + "/" + TenantFileState.policyFileName)
            if let problem = ModelName.problem(with: policy.model) {
                throw TenantFileError(
                    file: directory + "/" + TenantFileState.policyFileName, problem: "model '\(policy.model)': \(problem)")
            }
        }
        var overrides: TemplateSet? = nil
        if state.templateFileCount > 0 {
            let templates = directory + "/" + TenantFileState.templatesDirectoryName
            for entry in state.templates?.entries ?? [] {
                try TenantFileGuard.check(templates + "/" + entry.name, tenantDirectory: directory)
            }
            overrides = try TemplateSet.load(
                directory: directory + "/" + TenantFileState.templatesDirectoryName, owner: tenant.rawValue)
        }
        return TenantConfig(
            policy: policy, composer: ReplyComposer(defaults: bundledTemplates, tenant: overrides), origin: directory)
    }

    private func describeChange(_ tenant: TenantID, from previous: Entry?, to entry: Entry) -> String? {
        if let problem = entry.problem {
            return "kept tenant \(tenant) configuration: \(problem.message)"
        }
        if !entry.state.exists {
            return previous?.state.exists == true ? "tenant \(tenant) directory removed: using the defaults" : nil
        }
        let parts = [
            entry.state.hasPolicy ? "policy.yaml" : "default policy",
            "\(entry.state.templateFileCount) template file\(entry.state.templateFileCount == 1 ? "" : "s")",
        ]
        return "loaded tenant \(tenant) configuration: \(parts.joined(separator: ", "))"
    }
}

/// A tenant file that could not be read or parsed.
struct TenantFileError: Error, CustomStringConvertible {
    let file: String
    let problem: String
    var description: String { "\(file): \(problem)" }
}
