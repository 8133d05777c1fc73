import Foundation
import Messages
import ReplyIntentServer

/// Changes the tenant's model file one operation at a time while load clients keep calling,
/// waits after each until the cache has settled (asking for rescans with `application.reload()`,
/// as SIGHUP does, or the ReloadModels RPC; or, for some, only watching ListModels: the
/// watcher's inotify must notice by itself),
/// and checks what is then served. Everything it finds wrong goes to ``problems``, naming the
/// step and the operation.
struct ReloadMutator {
    let deployment: ReloadDeployment
    let files: ReloadModelFiles
    /// Our client on its own connection, for ListModels and probe calls.
    let admin: ReloadClient
    private(set) var expectation: ReloadExpectation
    private(set) var timeline: ReloadTimeline
    private(set) var problems: [String] = []
    /// Every change line `application.reload()` and ReloadModels returned.
    private(set) var reloadLines: [String] = []

    /// Longest wait for the cache to settle after one operation (a broken cache fails the test
    /// instead of hanging it; nothing here measures time).
    static let settleLimit: Duration = .seconds(30)

    init(deployment: ReloadDeployment, files: ReloadModelFiles, admin: ReloadClient, initial: ReloadExpectation, at start: UInt64) {
        self.deployment = deployment
        self.files = files
        self.admin = admin
        expectation = initial
        timeline = ReloadTimeline(initial: initial.tenantVersion ?? files.shared.version, at: start)
    }

    /// The version the tenant's requests get now.
    var serving: String { expectation.tenantVersion ?? files.shared.version }

    /// Performs one operation and waits for its outcome. Returns false when the cache did not
    /// settle (recorded as a problem; the caller stops: later steps would only repeat it).
    mutating func perform(_ operation: ReloadOperation, step: Int, trigger: ReloadTrigger) async throws -> Bool {
        let label = "step \(step) (\(operation), \(trigger))"
        let begun = reloadNow()
        let begunMs = reloadWallMilliseconds() - 1
        let before = expectation
        let deployment = deployment
        let files = files

        switch operation {
        case .replace(let index):
            try await reloadOffThread { try deployment.install(files.valid[index].bytes) }
            expectation = ReloadExpectation(tenantVersion: files.valid[index].version, fileExists: true)
        case .remove:
            guard before.fileExists else { return true }
            try await reloadOffThread { try deployment.removeTenantModel() }
            expectation = ReloadExpectation(tenantVersion: nil, fileExists: false)
        case .corrupt:
            try await reloadOffThread { try deployment.install(files.corrupt) }
            expectation.fileExists = true
        case .truncate:
            try await reloadOffThread { try deployment.install(files.truncated) }
            expectation.fileExists = true
        case .slowInPlace(let index):
            let bytes = files.valid[index].bytes
            let logged = deployment.log.all.count
            let handle = try await reloadOffThread { try deployment.beginInPlaceWrite(bytes) }
            try await checkHalfWrittenFile(label: label, before: before, begunMs: begunMs, logged: logged, trigger: trigger)
            try await reloadOffThread { try deployment.finishInPlaceWrite(handle, bytes) }
            expectation = ReloadExpectation(tenantVersion: files.valid[index].version, fileExists: true)
        }

        switch operation {
        case .replace, .slowInPlace:
            let version = expectation.tenantVersion
            guard let info = try await settle(label, trigger: trigger, until: { info in
                info.map { $0.version == version && $0.state == .loaded && $0.loadedAtUnixMs >= begunMs } ?? false
            }) else { return false }
            if let info, !info.lastError.isEmpty {
                problems.append("\(label): \(version ?? "") loaded but ListModels still reports last_error \(info.lastError)")
            }
        case .remove:
            guard try await settle(label, trigger: trigger, until: { $0 == nil }) != nil else { return false }
        case .corrupt, .truncate:
            // The failure is recorded (last_error, at or after this step) and nothing else changes.
            guard let info = try await settle(label, trigger: trigger, until: { info in
                info.map { !$0.lastError.isEmpty && $0.lastErrorAtUnixMs >= begunMs } ?? false
            }) else { return false }
            checkKept(label: label, info: info, before: before)
        }
        timeline.settled(serving: serving, begun: begun, settled: reloadNow())
        try await probe(label: label, expecting: serving)
        return true
    }

    /// The half-written file must not replace anything. With a reload trigger, a rescan reads it now
    /// (the writer has not closed the file, so inotify has said nothing) and must report it;
    /// either way a request still gets the version from before.
    private mutating func checkHalfWrittenFile(
        label: String, before: ReloadExpectation, begunMs: Int64, logged: Int, trigger: ReloadTrigger
    ) async throws {
        if trigger != .inotify {
            let lines = try await rescan(trigger)
            reloadLines += lines
            // An existing file rewritten in place sends no inotify event until it is closed, so
            // this rescan sees the half file and must say it kept the old version (unless the
            // watcher's rescan for the previous step's events ran after the write began: then
            // that rescan logged the same line).
            let kept = "kept default/default \(before.tenantVersion ?? "")"
            if before.tenantVersion != nil && !lines.contains(where: { $0.hasPrefix(kept) })
                && !deployment.log.all.dropFirst(logged).contains(where: { $0.contains(kept) })
            {
                problems.append("\(label): reload() with a half-written file returned \(lines), expected a line starting \"\(kept)\"")
            }
            guard let info = try await settle(label + " [half written]", trigger: trigger, until: { info in
                info.map { !$0.lastError.isEmpty && $0.lastErrorAtUnixMs >= begunMs } ?? false
            }) else { return }
            checkKept(label: label + " [half written]", info: info, before: before)
        } else {
            await reloadPause(milliseconds: 150)
        }
        try await probe(label: label + " [half written]", expecting: before.tenantVersion ?? files.shared.version)
    }

    /// After a bad file: the entry still names the version from before (or, when nothing of the
    /// tenant's had loaded, is listed as failed with no version).
    private mutating func checkKept(label: String, info: ModelInfo?, before: ReloadExpectation) {
        guard let info else { return }
        if let version = before.tenantVersion {
            if info.version != version || info.state != .loaded {
                problems.append("\(label): a bad file changed the serving model: ListModels says \(info.version) \(info.state), expected \(version) LOADED (last_error \(info.lastError))")
            }
        } else if info.state != .failed || !info.version.isEmpty {
            problems.append("\(label): a bad file for a model that was not serving: ListModels says '\(info.version)' \(info.state), expected no version, FAILED")
        }
    }

    /// One ClassifyIntent on the admin connection: the settled cache must answer with `version`.
    private mutating func probe(label: String, expecting version: String) async throws {
        do {
            let model = try await admin.classify("where is my order?", id: "probe")
            if model.version != version {
                problems.append("\(label): a request after the cache settled got \(model.tenant)/\(model.name) \(model.version), expected \(version)")
            }
        } catch {
            problems.append("\(label): the probe request failed: \(error)")
        }
    }

    /// Asks for a rescan now: `application.reload()` (what SIGHUP calls) or the ReloadModels
    /// admin RPC; returns (and keeps) the change lines.
    private mutating func rescan(_ trigger: ReloadTrigger) async throws -> [String] {
        let application = deployment.application
        let lines: [String]
        switch trigger {
        case .inotify: return []
        case .reload: lines = try await reloadOffThread { application.reload() }
        case .reloadModelsRPC: lines = try await admin.reloadModels()
        }
        reloadLines += lines
        return lines
    }

    /// Polls ListModels (asking for a rescan first each round, unless the trigger is inotify) until
    /// `done` holds for the tenant's entry. Returns that entry (`.some(nil)`: no entry), or nil
    /// after ``settleLimit`` (recorded as a problem).
    private mutating func settle(
        _ label: String, trigger: ReloadTrigger, until done: (ModelInfo?) -> Bool
    ) async throws -> ModelInfo?? {
        let deadline = ContinuousClock.now + Self.settleLimit
        var last: ModelInfo?
        while ContinuousClock.now < deadline {
            if trigger != .inotify { _ = try await rescan(trigger) }
            last = try await admin.model(tenant: "default")
            if done(last) { return .some(last) }
            await reloadPause(milliseconds: trigger == .inotify ? 10 : 20)
        }
        let entry = last.map { "\($0.version) \($0.state) last_error=\($0.lastError)" } ?? "no entry"
        problems.append("\(label): the cache did not settle within \(Self.settleLimit); ListModels: \(entry)\nserver log:\n\(deployment.log.tail())")
        return nil
    }
}
