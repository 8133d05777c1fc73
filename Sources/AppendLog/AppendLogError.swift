public import Posix

/// Why a line was not appended (or, for background syncs, not made durable).
public enum AppendLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// ``AppendLogConfiguration/maxPendingLines`` lines are already waiting for the writer: the
    /// disk is slower than the lines coming in.
    case queueFull(limit: Int)
    /// ``AppendLog/close()`` was called: the log takes no more lines.
    case closed
    /// A system call failed (open, write, fsync, rename, …), named with its path.
    case system(SystemCallError)

    public var description: String {
        switch self {
        case .queueFull(let limit):
            return "\(limit) lines are already waiting to be written (the limit): the disk is not keeping up; retry later"
        case .closed:
            return "the log is closed (the server is shutting down)"
        case .system(let error):
            if error.isSymbolicLinkRefused {
                return "\(error) (the path is a symbolic link, which the log never follows: replace it with a regular file)"
            }
            return error.description
        }
    }
}
