public import Posix

/// Who may change the tokens file, checked each time it is loaded: whoever can write it can add
/// a token of their own and call as any tenant, or as an admin.
///
/// Refused: anything but a regular file; a file that group or others can write; a file owned by
/// a user other than the server's (or root), since its owner can change its mode at any time.
/// Accepted with a warning: a file that group or others can read (its digests let a reader test
/// guesses of a token offline). Every message ends with the command that fixes it.
public enum TokenFilePermissions {
    /// The warnings for a usable file, or the error that refuses it (``TokenFile/load(path:)``
    /// puts the path in front of each).
    ///
    /// - Parameters:
    ///   - status: the opened file's status (owner, permissions, type).
    ///   - path: the file, for the commands in the messages (`chmod 600 PATH`).
    ///   - serverUserID: the user the server runs as (its effective uid).
    public static func check(_ status: FileStatus, path: String, serverUserID: UInt32) throws(TokenFileError) -> [String] {
        guard status.type == .regular else {
            throw TokenFileError(problem: "the tokens file is not a regular file: point tokens_file at a YAML file")
        }
        var problems: [String] = []
        if status.ownerID != serverUserID && status.ownerID != 0 {
            problems.append(
                "the tokens file is owned by uid \(status.ownerID), but the server runs as uid \(serverUserID) and"
                    + " accepts only its own files or root's (the owner can change the file's mode at any time):"
                    + " chown \(serverUserID) \(path)")
        }
        if status.isWritableByGroupOrOthers {
            problems.append(
                "group or others can write the tokens file (mode \(octal(status.permissions))), so they could add a"
                    + " token of their own: chmod 600 \(path)")
        }
        if !problems.isEmpty {
            throw TokenFileError(problem: "refused: " + problems.joined(separator: "; "))
        }
        if status.isReadableByGroupOrOthers {
            return [
                "group or others can read the tokens file (mode \(octal(status.permissions))); its digests let a"
                    + " reader test guesses of a token offline: chmod 600 \(path)"
            ]
        }
        return []
    }

    /// `0644`: four octal digits.
    static func octal(_ permissions: UInt32) -> String {
        let digits = String(permissions & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
