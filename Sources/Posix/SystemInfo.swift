internal import Glibc

/// Facts about the machine the process runs on.
public enum System {
    /// Online CPU cores (sysconf _SC_NPROCESSORS_ONLN), at least 1.
    public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// This process's effective user id (`geteuid(2)`): the user whose permissions its file
    /// accesses get, and who owns the files it creates.
    public static var effectiveUserID: UInt32 { UInt32(geteuid()) }

    /// A process's resident set size in bytes (VmRSS from /proc/PID/status; this process when
    /// `processID` is nil), nil if `/proc` is not readable.
    public static func residentMemoryBytes(processID: Int32? = nil) -> Int? {
        statusKilobytes("VmRSS:", processID: processID).map { $0 * 1024 }
    }

    /// The highest resident set size in bytes since the process started or since the last
    /// ``resetPeakResidentMemory()`` (VmHWM from /proc/PID/status), nil if `/proc` is not
    /// readable. Catches memory that was used and already given back, which VmRSS does not.
    public static func peakResidentMemoryBytes(processID: Int32? = nil) -> Int? {
        statusKilobytes("VmHWM:", processID: processID).map { $0 * 1024 }
    }

    /// Sets this process's peak resident set size to its current one (writes "5" to
    /// /proc/self/clear_refs, Linux 4.0+). false when that is not possible.
    @discardableResult
    public static func resetPeakResidentMemory() -> Bool {
        guard let file = fopen("/proc/self/clear_refs", "w") else { return false }
        let written = fputs("5", file) >= 0
        return fclose(file) == 0 && written
    }

    /// The number in the `/proc/PID/status` line that starts with `field` (kB for memory).
    private static func statusKilobytes(_ field: String, processID: Int32?) -> Int? {
        let path = processID.map { "/proc/\($0)/status" } ?? "/proc/self/status"
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix(field) {
                let digits = text.dropFirst(field.count).filter { $0.isNumber }
                return Int(digits)
            }
        }
        return nil
    }
}

/// Line output for executables that must show up at once even when stdout is a pipe or file.
public enum Output {
    /// Writes `text` and a newline to stdout and flushes.
    public static func line(_ text: String) {
        print(text)
        fflush(nil)  // every stdio stream: stdout is the one print wrote to
    }

    /// Writes `text` and a newline to stderr.
    public static func error(_ text: String) {
        fflush(nil)
        var bytes = Array((text + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { break }
            offset += written
        }
    }
}
