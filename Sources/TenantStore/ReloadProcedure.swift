internal import Foundation
internal import Logging
internal import ModelCache
internal import Posix
internal import Synchronization
internal import Tenancy

extension ReloadCoordinator {
    /// The reload procedure (see the type's documentation), for `scope`, serialized.
    func run(_ scope: ReloadScope, trigger: ReloadTrigger) -> [String] {
        procedure.withLock { state in
            defer { completed.add(1, ordering: .relaxed) }
            let published = store.published
            var own: [String] = []  // tokens and tenant lines (the cache logs its own)
            var modelLines: [String] = []
            var changed = false

            // 1. Tokens.
            var credentials = published.credentials
            if let line = reloadTokens(&state, force: trigger == .signal, inScope: scope.everything || scope.tokens) {
                own.append(line.text)
                if let fresh = line.credentials {
                    credentials = fresh
                    changed = true
                }
            }
            // 2. The shared default model.
            if scope.everything || scope.shared { modelLines += models.rescanShared() }

            // 3. Tenants: config files, then models.
            var tenants = published.tenants
            var candidates = Set(state.records.keys)
            if scope.everything {
                candidates.formUnion(state.scanner.tenantDirectories())
                for key in models.statuses().map(\.key) where !key.isShared {
                    if let tenant = TenantID(key.tenant) { candidates.insert(tenant) }
                }
            } else {
                candidates = Set(scope.tenants.compactMap { TenantID($0) })
            }
            let generation = published.number + 1
            var updates: [TenantModelsUpdate] = []
            var lines: [(tenant: String, text: String, model: Bool)] = []
            for tenant in candidates.sorted(by: { $0.rawValue < $1.rawValue }) {
                let files = store.layout.directory(of: tenant).map { TenantFileState.read(directory: $0) } ?? .absent
                let record = state.records[tenant]
                guard files.exists else {
                    if record != nil {
                        state.records[tenant] = nil
                        if tenants.removeValue(forKey: tenant) != nil || record?.problem != nil { changed = true }
                        if record?.files.exists == true {
                            lines.append((tenant.rawValue, "tenant \(tenant) directory removed: using the defaults", false))
                        }
                    }
                    let update = models.update(tenant: tenant.rawValue, directory: nil, files: [])
                    updates.append(update)
                    continue
                }
                var config = record?.config
                if record?.files != files {
                    do {
                        config = try store.readConfig(tenant, state: files)
                        state.records[tenant] = TenantRecord(files: files, config: config, problem: nil)
                        if record?.problem != nil { changed = true }
                        lines.append((tenant.rawValue, Self.describeLoaded(tenant, files), false))
                    } catch {
                        let problem = TenantConfigProblem(
                            tenant: tenant.rawValue, message: "\(error)",
                            detectedAtUnixMs: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
                        logger.warning(
                            "tenant configuration rejected; keeping the previous one",
                            metadata: ["tenant": "\(tenant)", "problem": "\(problem.message)"])
                        // Remember the state, so the same broken files are not parsed again on
                        // every reload (a fix changes the state again); keep the whole snapshot.
                        state.records[tenant] = TenantRecord(files: files, config: record?.config, problem: problem)
                        lines.append((tenant.rawValue, "kept tenant \(tenant) configuration: \(problem.message)", false))
                        changed = true
                        continue
                    }
                } else if record?.problem != nil {
                    continue  // still broken: the whole previous snapshot stays
                }
                guard let config else { continue }
                let update = state.scanner.update(tenant, in: models)
                updates.append(update)
                lines += update.lines.map { (tenant.rawValue, $0, true) }
                let previous = tenants[tenant]
                if previous == nil || previous?.policy != config.policy || previous?.origin != config.origin
                    || record?.files != files || previous?.modelVersions != update.versions
                {
                    tenants[tenant] = TenantSnapshot(
                        tenant: tenant, policy: config.policy, composer: config.composer,
                        modelVersions: update.versions, origin: config.origin, generation: generation)
                    changed = true
                }
            }

            // 4. Swap: credentials and every tenant's snapshot at once.
            if changed {
                let problems = state.records.values.compactMap(\.problem).sorted { $0.tenant < $1.tenant }
                store.publish(
                    TenantGeneration(number: generation, tenants: tenants, credentials: credentials, problems: problems))
            }
            // 5. Models whose files are gone go only now: the published snapshots no longer name them.
            for update in updates {
                lines += models.finish(update).map { (update.tenant, $0, true) }
            }
            own += lines.filter { !$0.model }.map(\.text)
            log(own, trigger: trigger)
            return own.prefix(while: { $0.hasPrefix("tokens: ") }) + modelLines + lines.map(\.text)
        }
    }

    /// "loaded tenant acme configuration: policy.yaml, 2 template files".
    static func describeLoaded(_ tenant: TenantID, _ files: TenantFileState) -> String {
        let parts = [
            files.hasPolicy ? TenantLayout.policyFileName : "default policy",
            "\(files.templateFileCount) template file\(files.templateFileCount == 1 ? "" : "s")",
        ]
        return "loaded tenant \(tenant) configuration: \(parts.joined(separator: ", "))"
    }

    /// Step 1: reads the tokens file when it changed (its mode or owner too) or when forced. A
    /// broken or refused file keeps the current credentials and is logged; the warnings of a
    /// loaded one (legacy entries, readable by others) are logged on every load.
    func reloadTokens(_ state: inout ReloadState, force: Bool, inScope: Bool) -> (text: String, credentials: Authenticator?)? {
        guard let path = tokensFile, inScope || force else { return nil }
        let now = FileStatus.of(path: path)
        let changed = state.tokensStatus != now
        state.tokensStatus = now
        guard changed || force else { return nil }
        do {
            let file = try TokenFile.load(path: path)
            for warning in file.warnings { logger.warning("tokens: \(warning)") }
            let credentials = Authenticator(mode: .tokens(file))
            return ("tokens: reloaded \(path): \(credentials.modeDescription)", credentials)
        } catch {
            logger.error("tokens: kept the previous tokens", metadata: ["error": "\(error)"])
            return ("tokens: kept the previous tokens: \(error)", nil)
        }
    }
}
