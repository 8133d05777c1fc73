internal import Messages

/// The `models list` table: one row per model, columns aligned.
enum ModelTable {
    static let headers = ["TENANT", "NAME", "VERSION", "STATE", "SIZE MIB", "LOADED AT (UTC)", "LOAD MS", "LAST ERROR"]

    static func lines(_ models: [ModelInfo]) -> [String] {
        let rows = [headers] + models.map(row)
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.paddedRight(to: widths[index])
            }.joined(separator: "  ")
        }
    }

    static func row(_ m: ModelInfo) -> [String] {
        let lastError = m.lastError.isEmpty
            ? "-"
            : m.lastErrorAtUnixMs > 0 ? "\(timestamp(m.lastErrorAtUnixMs)): \(oneLine(m.lastError))" : oneLine(m.lastError)
        return [
            m.tenant.isEmpty ? "(shared)" : m.tenant,
            m.name,
            m.version.isEmpty ? "-" : m.version,
            EnumNames.short(m.state, prefix: "MODEL_STATE_"),
            mebibytes(m.sizeBytes),
            m.loadedAtUnixMs > 0 ? timestamp(m.loadedAtUnixMs) : "-",
            m.loadedAtUnixMs > 0 || m.loadDurationMs > 0 ? SummaryText.fixed(m.loadDurationMs, digits: 1) : "-",
            lastError,
        ]
    }

    /// "memory: 12.3 MiB used of 4096.0 MiB"
    static func memoryLine(used: UInt64, budget: UInt64) -> String {
        "memory: \(mebibytes(used)) MiB used of \(mebibytes(budget)) MiB"
    }

    static func mebibytes(_ bytes: UInt64) -> String {
        SummaryText.fixed(Double(bytes) / 1_048_576, digits: 1)
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    /// `2026-11-21T03:20:05Z` from ms since 1970 (UTC, proleptic Gregorian; no locale, no Foundation).
    static func timestamp(_ unixMs: Int64) -> String {
        let seconds = unixMs >= 0 ? unixMs / 1000 : (unixMs - 999) / 1000
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))Z"
    }
}
