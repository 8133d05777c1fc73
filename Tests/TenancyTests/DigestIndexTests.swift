import Testing

@testable import Tenancy

/// The digest index compares whole digests: entries that share the 8-byte bucket key are told apart.
@Suite struct DigestIndexTests {
    static let acme = Principal(tenant: TenantID("acme")!, isAdmin: false, via: "token")
    static let globex = Principal(tenant: TenantID("globex")!, isAdmin: true, via: "token")

    static func digest(prefix: UInt8, last: UInt8) -> [UInt8] {
        [UInt8](repeating: prefix, count: 8) + [UInt8](repeating: 0, count: 23) + [last]
    }

    @Test func entriesWithTheSameBucketKeyAreToldApart() {
        var index = DigestIndex()
        index.insert(Self.digest(prefix: 1, last: 1), Self.acme)
        index.insert(Self.digest(prefix: 1, last: 2), Self.globex)
        #expect(index.count == 2)
        #expect(index.principal(for: Self.digest(prefix: 1, last: 1)) == Self.acme)
        #expect(index.principal(for: Self.digest(prefix: 1, last: 2)) == Self.globex)
        #expect(index.principal(for: Self.digest(prefix: 1, last: 3)) == nil, "same bucket, different digest")
        #expect(index.principal(for: Self.digest(prefix: 2, last: 1)) == nil)
    }

    @Test func digestsOfAnotherLengthMatchNothing() {
        var index = DigestIndex()
        index.insert(Self.digest(prefix: 1, last: 1), Self.acme)
        #expect(index.principal(for: Array(Self.digest(prefix: 1, last: 1).prefix(31))) == nil)
        #expect(index.principal(for: []) == nil)
        #expect(DigestIndex().isEmpty)
    }
}
