internal import Glibc

/// How many file descriptors the process has open (entries of `/proc/self/fd`), for leak checks
/// and diagnostics; nil if `/proc` is not mounted.
public func openFileDescriptorCount() -> Int? {
    guard let directory = opendir("/proc/self/fd") else { return nil }
    defer { closedir(directory) }
    var count = 0
    while let entry = readdir(directory) {
        let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
            name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
        }
        if !isDot { count += 1 }
    }
    return count - 1  // the directory stream's own descriptor
}
