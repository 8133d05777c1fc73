import Foundation
import Logging
import Policy
import TenantStore
import Tenancy
import Testing

/// A tenant's policy and templates are read only from inside its own directory, and only when
/// small: links that leave it, oversized files and tenant directories that point elsewhere are
/// refused (listed as problems, the defaults or the previous configuration keep serving).
@Suite struct TenantFileGuardTests {
    let root = NSTemporaryDirectory() + "replyintent-tenant-guard-\(UUID().uuidString)"
    var tenants: String { root + "/tenants" }
    let acme = TenantID("acme")!

    func directory() throws -> TenantView {
        TenantView(try Fixtures.coordinator(tenants: tenants))
    }

    @Test func aPolicyLinkedOutsideTheTenantIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Fixtures.write("mode: auto\n", to: root + "/elsewhere/policy.yaml")
        try FileManager.default.createDirectory(atPath: tenants + "/acme", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: tenants + "/acme/policy.yaml", withDestinationPath: root + "/elsewhere/policy.yaml")
        let directory = try directory()
        #expect(directory.config(for: acme).policy.mode != .auto)
        let problem = try #require(directory.problems().first)
        #expect(problem.message.contains("resolves outside the tenant's directory"))
    }

    @Test func aLinkThatStaysInsideTheTenantIsFollowed() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        // A mounted ConfigMap: policy.yaml -> ..data/policy.yaml, inside the tenant's directory.
        try Fixtures.write("mode: auto\n", to: tenants + "/acme/..data/policy.yaml")
        try FileManager.default.createSymbolicLink(atPath: tenants + "/acme/policy.yaml", withDestinationPath: "..data/policy.yaml")
        let directory = try directory()
        #expect(directory.config(for: acme).policy.mode == .auto)
        #expect(directory.problems().isEmpty)
    }

    @Test func anOversizedPolicyIsRefusedBeforeItIsRead() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Fixtures.write("mode: auto\n# " + String(repeating: "x", count: 2 << 20) + "\n", to: tenants + "/acme/policy.yaml")
        let directory = try directory()
        #expect(directory.config(for: acme).policy.mode != .auto)
        #expect(directory.problems().first?.message.contains("may be at most 1048576 bytes") == true)
    }

    @Test func aTenantDirectoryLinkedOutsideTheTenantsDirectoryIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Fixtures.write("mode: auto\n", to: root + "/outside/policy.yaml")
        try FileManager.default.createDirectory(atPath: tenants, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: tenants + "/acme", withDestinationPath: root + "/outside")
        let directory = try directory()
        #expect(directory.config(for: acme).policy.mode != .auto)
        #expect(directory.problems().first?.message.contains("resolves outside the tenants directory") == true)
    }
}
