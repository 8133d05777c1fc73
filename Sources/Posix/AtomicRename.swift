internal import Glibc

public enum FileSystem {
    /// rename(2): moves `source` over `destination` atomically (same file system); a reader of
    /// `destination` sees the old file or the new one, never a mix. This is how model and
    /// configuration files should be replaced while the server runs.
    public static func rename(_ source: String, over destination: String) throws(SystemCallError) {
        guard Glibc.rename(source, destination) == 0 else {
            throw SystemCallError(call: "rename(\(source), \(destination))", errno: errno)
        }
    }
}
