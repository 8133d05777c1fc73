import Foundation
import Policy
import Replies
import Tenancy
import TenantStore
import Testing
import Crypto

/// The tokens file is step 1 of the reload procedure: new credentials are published with the
/// tenants of the same generation; a broken or refused file keeps the credentials in force.
@Suite struct CredentialsReloadTests {
    static func writeTokens(_ text: String, to path: String, mode: Int = 0o600) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    static func tenant(_ store: TenantStore, token: String) -> TenantID? {
        try? store.admit(authorization: "Bearer \(token)", certificateSubject: nil).get().principal.tenant
    }

    @Test func aBadOrRefusedFileKeepsTheCredentialsInForce() throws {
        let sandbox = try TenantSandbox()
        let path = sandbox.root + "/tokens.yaml"
        try Self.writeTokens("tokens:\n  - {tenant: acme, sha256: \(SHA256.hexDigest("first"))}\n", to: path)
        let coordinator = try sandbox.coordinator(
            tokensFile: path, credentials: Authenticator(mode: .tokens(try TokenFile.load(path: path))))
        let store = coordinator.store
        #expect(Self.tenant(store, token: "first") == TenantID("acme"))
        // Unchanged: an admin reload does not read it again; SIGHUP does.
        #expect(coordinator.reload(.adminRequest).isEmpty)
        #expect(coordinator.reload(.signal).first?.hasPrefix("tokens: reloaded \(path): tokens mode: 1 token") == true)

        try Self.writeTokens("tokens:\n  - {tenant: initech, sha256: \(SHA256.hexDigest("fresh"))}\n", to: path)
        #expect(coordinator.reload(.periodic).first?.hasPrefix("tokens: reloaded") == true)
        #expect(Self.tenant(store, token: "fresh") == TenantID("initech"))
        #expect(Self.tenant(store, token: "first") == nil)

        try Self.writeTokens("tokens:\n  - {tenant: Bad, sha256: x}\n", to: path)
        #expect(coordinator.reload(.periodic).first?.hasPrefix("tokens: kept the previous tokens: ") == true)
        #expect(Self.tenant(store, token: "fresh") == TenantID("initech"))

        // A valid file that others can write is refused the same way, and says how to fix it.
        try Self.writeTokens("tokens:\n  - {tenant: evil, sha256: \(SHA256.hexDigest("planted"))}\n", to: path, mode: 0o666)
        let refused = coordinator.reload(.signal).first
        #expect(refused?.hasPrefix("tokens: kept the previous tokens: ") == true)
        #expect(refused?.contains("chmod 600 \(path)") == true)
        #expect(Self.tenant(store, token: "planted") == nil)
        #expect(Self.tenant(store, token: "fresh") == TenantID("initech"))
    }

    @Test func concurrentAdmissionsSeeOneGenerationOrTheOther() async throws {
        let sandbox = try TenantSandbox()
        let path = sandbox.root + "/tokens.yaml"
        let first = "tokens:\n  - {tenant: acme, sha256: \(SHA256.hexDigest("token"))}\n"
        let second = "tokens:\n  - {tenant: globex, sha256: \(SHA256.hexDigest("token"))}\n"
        try Self.writeTokens(first, to: path)
        try Fixtures.write("mode: auto\n", to: sandbox.tenants + "/acme/policy.yaml")
        let coordinator = try sandbox.coordinator(
            tokensFile: path, credentials: Authenticator(mode: .tokens(try TokenFile.load(path: path))))
        let store = coordinator.store
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for index in 0..<40 {
                    try? Self.writeTokens(index.isMultiple(of: 2) ? second : first, to: path)
                    coordinator.reload(.signal)
                }
                return true
            }
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<2_000 {
                        guard case .success(let admission) = store.admit(authorization: "Bearer token", certificateSubject: nil)
                        else { return false }
                        // The principal and the snapshot come from the same generation.
                        let tenant = admission.principal.tenant.rawValue
                        switch tenant {
                        case "acme": if admission.tenant.policy.mode != .auto { return false }
                        case "globex": if admission.tenant !== store.defaultSnapshot { return false }
                        default: return false
                        }
                    }
                    return true
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
