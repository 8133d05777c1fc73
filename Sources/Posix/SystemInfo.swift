internal import Glibc

// Added by helper H (intentd/GRPCServer needed these; L owns Posix — feel free to move).

/// Facts about the machine the process runs on.
public enum System {
    /// Online CPU cores (sysconf _SC_NPROCESSORS_ONLN), at least 1.
    public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// This process's resident set size in bytes (VmRSS from /proc/self/status), nil without /proc.
    public static func residentMemoryBytes() -> Int? {
        guard let file = fopen("/proc/self/status", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("VmRSS:") {
                let digits = text.dropFirst(6).filter { $0.isNumber }
                return Int(digits).map { $0 * 1024 }
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
