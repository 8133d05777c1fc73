import Testing
@testable import GRPCTransport

@Suite struct GRPCTimeoutTests {
    static let valid: [(String, UInt64)] = [
        ("1H", 3_600_000_000_000),
        ("3M", 180_000_000_000),
        ("5S", 5_000_000_000),
        ("100m", 100_000_000),
        ("250u", 250_000),
        ("10n", 10),
        ("0S", 0),
        ("00000001m", 1_000_000),
        ("99999999n", 99_999_999),
        ("99999999S", 99_999_999_000_000_000),
    ]

    @Test(arguments: valid)
    func parsesValid(_ value: String, _ nanoseconds: UInt64) {
        #expect(GRPCTimeout.parseNanoseconds(value) == nanoseconds)
        #expect(GRPCTimeout.parse(value) == .nanoseconds(Int64(nanoseconds)))
    }

    @Test func hugeHoursSaturateNanosecondsButStayExactAsDuration() {
        #expect(GRPCTimeout.parseNanoseconds("99999999H") == UInt64.max)
        #expect(GRPCTimeout.parse("99999999H") == .seconds(99_999_999 * 3600))
    }

    @Test(arguments: [
        "", "S", "1", "123456789S", "1s", "1h", "1x", "-1S", "+1S", " 1S", "1S ", "1 S", "1.5S", "1SS", "0x1S", "１S",
    ])
    func rejectsMalformed(_ value: String) {
        #expect(GRPCTimeout.parse(value) == nil)
        #expect(GRPCTimeout.parseNanoseconds(value) == nil)
    }

    static let formats: [(Duration, String)] = [
        (.seconds(1), "1S"),
        (.milliseconds(100), "100m"),
        (.milliseconds(1500), "1500m"),
        (.microseconds(250), "250u"),
        (.nanoseconds(10), "10n"),
        (.seconds(180), "3M"),
        (.seconds(7200), "2H"),
        (.seconds(90), "90S"),
        (.zero, "0H"),
        (.nanoseconds(123_456_789), "123457u"),
        (.nanoseconds(123_456_789_123), "123457m"),
        (.seconds(-5), "0n"),
        (.seconds(99_999_999 * 3600), "99999999H"),
        (.seconds(Int64.max), "99999999H"),
    ]

    @Test(arguments: formats)
    func formatsShortestValid(_ duration: Duration, _ expected: String) {
        #expect(GRPCTimeout.format(duration) == expected)
    }

    @Test(arguments: [UInt64(0), 1, 999, 1_000_000_007, 59_999_999_999, 86_400_000_000_000, UInt64.max / 2])
    func formattedValueParsesBackToAtLeastTheInput(_ nanoseconds: UInt64) throws {
        let text = GRPCTimeout.format(nanoseconds: nanoseconds)
        #expect(text.count <= 9)
        let parsed = try #require(GRPCTimeout.parseNanoseconds(text))
        #expect(parsed >= nanoseconds)
    }
}
