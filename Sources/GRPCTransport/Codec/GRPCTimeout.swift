/// The `grpc-timeout` header: 1 to 8 ASCII digits and a unit
/// (`H` hours, `M` minutes, `S` seconds, `m` milliseconds, `u` microseconds, `n` nanoseconds).
public enum GRPCTimeout {
    /// The largest value the header can carry.
    public static let maxValue: UInt64 = 99_999_999

    private static let units: [(unit: UInt8, nanoseconds: UInt64)] = [
        (UInt8(ascii: "n"), 1),
        (UInt8(ascii: "u"), 1_000),
        (UInt8(ascii: "m"), 1_000_000),
        (UInt8(ascii: "S"), 1_000_000_000),
        (UInt8(ascii: "M"), 60_000_000_000),
        (UInt8(ascii: "H"), 3_600_000_000_000),
    ]

    /// Parses a header value; nil when malformed (empty, more than 8 digits, a sign, spaces,
    /// or an unknown unit).
    public static func parse(_ value: some StringProtocol) -> Duration? {
        guard let (amount, unitNanoseconds) = parseParts(value) else { return nil }
        // Split to stay exact: seconds part and nanoseconds part.
        if unitNanoseconds >= 1_000_000_000 {
            return .seconds(Int64(amount * (unitNanoseconds / 1_000_000_000)))
        }
        return .nanoseconds(Int64(amount * unitNanoseconds))
    }

    /// Parses a header value to nanoseconds, saturating at `UInt64.max` (99999999H does not fit);
    /// nil when malformed.
    public static func parseNanoseconds(_ value: some StringProtocol) -> UInt64? {
        guard let (amount, unitNanoseconds) = parseParts(value) else { return nil }
        let (product, overflow) = amount.multipliedReportingOverflow(by: unitNanoseconds)
        return overflow ? UInt64.max : product
    }

    private static func parseParts(_ value: some StringProtocol) -> (UInt64, UInt64)? {
        let utf8 = value.utf8
        let count = utf8.count
        guard count >= 2, count <= 9 else { return nil }
        var amount: UInt64 = 0
        var unitByte: UInt8 = 0
        for (offset, byte) in utf8.enumerated() {
            if offset == count - 1 { unitByte = byte; break }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            amount = amount * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        guard let unit = units.first(where: { $0.unit == unitByte }) else { return nil }
        return (amount, unit.nanoseconds)
    }

    /// Formats a timeout in the fewest digits: the coarsest unit that states it exactly, or if
    /// none fits in 8 digits, the finest unit that does, rounded up (a peer never gets less time
    /// than asked). Negative durations become `0n`; past 99999999 hours, `99999999H`.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if seconds < 0 || (seconds == 0 && attoseconds < 0) { return "0n" }
        // Nanoseconds, rounded up, saturating.
        let fractionNanos = UInt64((attoseconds + 999_999_999) / 1_000_000_000)
        let (secondsNanos, overflow1) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = secondsNanos.addingReportingOverflow(fractionNanos)
        if overflow1 || overflow2 { return "\(maxValue)H" }
        return format(nanoseconds: total)
    }

    /// Formats a timeout given in nanoseconds (see ``format(_:)``).
    public static func format(nanoseconds: UInt64) -> String {
        for (unit, size) in units.reversed() where nanoseconds % size == 0 && nanoseconds / size <= maxValue {
            return render(nanoseconds / size, unit)
        }
        for (unit, size) in units {
            let rounded = nanoseconds / size + (nanoseconds % size == 0 ? 0 : 1)
            if rounded <= maxValue { return render(rounded, unit) }
        }
        return render(maxValue, UInt8(ascii: "H"))
    }

    private static func render(_ amount: UInt64, _ unit: UInt8) -> String {
        String(amount) + String(UnicodeScalar(unit))
    }
}
