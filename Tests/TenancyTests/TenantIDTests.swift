import Testing
import Tenancy

@Suite struct TenantIDTests {
    @Test(arguments: ["acme", "a", "0", "shop-1", "shop_2", "a1-b2_c3", String(repeating: "x", count: 63)])
    func acceptsValidIDs(raw: String) {
        #expect(TenantID(raw)?.rawValue == raw)
        #expect(TenantID.problem(with: raw) == nil)
    }

    @Test(arguments: [
        "", "Acme", "-acme", "_acme", ".acme", "..", "../etc", "a/b", "a b", "acme.", "acmé", "a\u{0}",
        String(repeating: "x", count: 64), "ACME", "a\\b",
    ])
    func rejectsInvalidIDs(raw: String) {
        #expect(TenantID(raw) == nil)
        #expect(TenantID.problem(with: raw) != nil)
    }

    @Test func singleTenantIsDefault() {
        #expect(TenantID.singleTenant.rawValue == "default")
        #expect(TenantID.singleTenant == TenantID("default"))
        #expect(TenantID.singleTenant.description == "default")
    }

    @Test func problemsSayWhatIsWrong() {
        #expect(TenantID.problem(with: "")?.contains("empty") == true)
        #expect(TenantID.problem(with: String(repeating: "a", count: 64))?.contains("63") == true)
        #expect(TenantID.problem(with: "A")?.contains("a-z") == true)
    }
}
