internal import Glibc

/// How many file descriptors a process has open (entries of `/proc/PID/fd`; this process when
/// `processID` is nil), for leak checks and diagnostics; nil if `/proc` is not readable.
public func openFileDescriptorCount(processID: Int32? = nil) -> Int? {
    let path = processID.map { "/proc/\($0)/fd" } ?? "/proc/self/fd"
    guard let directory = opendir(path) else { return nil }
    defer { closedir(directory) }
    var count = 0
    while let entry = readdir(directory) {
        let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
            name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
        }
        if !isDot { count += 1 }
    }
    // Reading our own /proc/self/fd lists the directory stream's descriptor too.
    return processID == nil ? count - 1 : count
}
