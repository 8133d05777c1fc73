import Classifier
import Foundation
@testable import ReplyIntentService
import Tenancy
import Testing

/// The service's small helpers: JSON lines, UTC timestamps, the bounded intent memory, the
/// scratch pool, model names.
@Suite struct HandlerSupportTypesTests {
    @Test func jsonLinesEscapeWhatJSONRequires() throws {
        var line = JSONLine()
        line.add("a", "quote \" backslash \\ newline \n tab \t bell \u{07} é 中")
        line.add("b", "")
        let text = line.line
        #expect(text.hasSuffix("}\n"))
        #expect(!text.dropLast().contains("\n"))
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        #expect(object?["a"] == "quote \" backslash \\ newline \n tab \t bell \u{07} é 中")
        #expect(object?["b"] == "")
        #expect(text.hasPrefix("{\"a\":"))
    }

    @Test func iso8601TimesAreUTCWithMilliseconds() {
        #expect(UnixTime.iso8601(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(UnixTime.iso8601(milliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
        #expect(UnixTime.iso8601(milliseconds: 1_795_230_625_123) == "2026-11-21T03:10:25.123Z")
        #expect(UnixTime.iso8601(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        // Agrees with Foundation's formatter (Gregorian from 1582 on) over four centuries and more.
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for day in stride(from: -130_000, to: 2_900_000, by: 9_973) {
            let ms = Int64(day) * 86_400_000 + 45_296_789
            #expect(UnixTime.iso8601(milliseconds: ms) == formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)))
        }
    }

    @Test func recentIntentsForgetTheOldestFirst() {
        var recent = RecentIntents(capacity: 3)
        recent.remember("a1", for: "a")
        recent.remember("b1", for: "b")
        recent.remember("c1", for: "c")
        recent.remember("a2", for: "a")  // an update, not a new id
        #expect(recent["a"] == "a2")
        recent.remember("d1", for: "d")
        #expect(recent["a"] == nil)
        #expect(recent["b"] == "b1" && recent["c"] == "c1" && recent["d"] == "d1")
        recent.remember("e1", for: "e")
        #expect(recent["b"] == nil)
        #expect(recent.count == 3)
    }

    @Test func scratchesAreReusedAndBounded() {
        let pool = ScratchPool(capacity: 2)
        var first: ObjectIdentifier?
        pool.withScratch { first = ObjectIdentifier($0) }
        var second: ObjectIdentifier?
        pool.withScratch { second = ObjectIdentifier($0) }
        #expect(first == second)
        pool.withScratch { _ in pool.withScratch { _ in pool.withScratch { _ in } } }
        #expect(pool.idleCount == 2)
    }

    @Test func modelNamesFollowTheTenantPattern() throws {
        #expect(ModelName.problem(with: "support-v2") == nil)
        #expect(ModelName.problem(with: "") != nil)
        #expect(ModelName.problem(with: "../x") != nil)
        #expect(ModelName.problem(with: String(repeating: "a", count: 64)) != nil)
        let acme = TenantID("acme")!
        #expect(try ModelChoice.ownModelName("acme/support", tenant: acme) == "support")
        #expect(try ModelChoice.ownModelName("support", tenant: acme) == "support")
        #expect(throws: (any Error).self) { try ModelChoice.ownModelName("other/support", tenant: acme) }
    }
}
