import Classifier

/// The wording shared by priority and decision reasons, so the same finding reads the same way in both.
enum ReasonText {
    /// `value` with two decimals ("0.91", "1.00"), without Foundation's formatter.
    static func score(_ value: Double) -> String {
        fixed(value, decimals: 2)
    }

    /// `value` and `threshold` with enough decimals that they differ when they are not equal
    /// (so "0.849 is below the threshold 0.85", never "0.85 is below the threshold 0.85").
    static func scores(_ value: Double, _ threshold: Double) -> (String, String) {
        for decimals in 2...6 {
            let (a, b) = (fixed(value, decimals: decimals), fixed(threshold, decimals: decimals))
            if a != b || value == threshold { return (a, b) }
        }
        return (fixed(value, decimals: 6), fixed(threshold, decimals: 6))
    }

    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let whole = scaled / Int(scale)
        var fraction = String(scaled % Int(scale))
        while fraction.count < decimals { fraction = "0" + fraction }
        return (value < 0 && scaled != 0 ? "-" : "") + "\(whole)" + (decimals > 0 ? "." + fraction : "")
    }

    static func angryTone(_ tone: Double) -> String { "angry tone \(score(tone))" }

    /// `threat term "chargeback" (threat.chargeback)` or `high-risk term "scam" (risk.scam)`.
    static func term(_ hit: RiskHit) -> String {
        "\(hit.category.isThreat ? "threat" : "high-risk") term \"\(hit.term)\" (\(hit.category.rawValue))"
    }

    /// One hit per (term, category), in message order.
    static func distinct(_ hits: [RiskHit]) -> [RiskHit] {
        var seen: [(String, RiskCategory)] = []
        var result: [RiskHit] = []
        for hit in hits where !seen.contains(where: { $0.0 == hit.term && $0.1 == hit.category }) {
            seen.append((hit.term, hit.category))
            result.append(hit)
        }
        return result
    }

    static let outOfScope = "out of scope: no intent to answer"
}
