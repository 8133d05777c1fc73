internal import ArgumentParser
internal import Foundation
internal import Posix
internal import Crypto
internal import Tenancy

/// `intentctl token hash`: writes tokens-file entries in the salted form the server wants.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage bearer tokens in intentd's tokens file (no server needed).",
        subcommands: [Hash.self])

    /// `intentctl token hash --tokens-file FILE --tenant T [--admin] (--token-stdin | --generate)`.
    struct Hash: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a token to a tokens file as HMAC-SHA256(salt, token), or print its entry.",
            discussion: """
                With --tokens-file: creates the file (mode 600, a fresh salt) if it is missing, adds a salt if it has \
                none (its sha256 entries stay valid), and appends '- {tenant: T, hmac_sha256: ...}' to its tokens list; \
                every other line, comments included, is kept. The file is replaced atomically (a temporary file in the \
                same directory, mode 600, fsynced, renamed). Without --tokens-file, --salt gives the file's salt and \
                only the entry line is printed. --generate makes a random token (32 bytes, base64url) and prints it \
                once, as the first line of stdout; it is stored nowhere else. To migrate a legacy sha256 entry, hash \
                its token with --token-stdin, then delete the sha256 entry.
                """)

        @Option(help: "The tokens file to add the entry to (created if missing).")
        var tokensFile: String?

        @Option(help: "The tenant the token belongs to.")
        var tenant: String

        @Flag(help: "The token may call the admin service (ReplyIntentAdmin).")
        var admin = false

        @Flag(help: "Read the token from stdin (one line; the final newline is dropped).")
        var tokenStdin = false

        @Flag(help: "Make a random token and print it on stdout.")
        var generate = false

        @Option(help: "Without --tokens-file: the file's salt (64 hex digits, its 'salt:' line).")
        var salt: String?

        /// The longest token accepted (an `authorization` header has to carry it).
        static let maxTokenBytes = 4096

        func validate() throws {
            if let problem = TenantID.problem(with: tenant) { throw ValidationError("--tenant '\(tenant)': \(problem)") }
            guard tokenStdin != generate else {
                throw ValidationError("give one of --token-stdin (read the token from stdin) and --generate (make a random one)")
            }
            if tokensFile == nil {
                guard let salt else {
                    throw ValidationError("give --tokens-file FILE, or --salt HEX (the file's salt) to print the entry only")
                }
                guard TokenSalt(hex: salt) != nil else {
                    throw ValidationError("--salt: expected 64 hex digits (the 'salt:' line of the tokens file)")
                }
            } else if salt != nil {
                throw ValidationError("--salt goes without --tokens-file: with a file, the file's own salt is used")
            }
        }

        func run() throws {
            let tenant = TenantID(tenant)!  // validate() checked it
            let token: String
            do {
                token = try generate ? Self.generatedToken() : Self.token(fromStdin: FileHandle.standardInput)
            } catch {
                Output.error("intentctl: \(error)")
                throw ExitCode.failure
            }
            guard let tokensFile else {
                let salt = TokenSalt(hex: salt!)!  // validate() checked it
                if generate { Output.line(token) }
                Output.line("  " + TokenFileEditor.entryText(tenant: tenant, hmacSHA256: salt.digest(of: token), isAdmin: admin))
                return
            }
            let notes: [String]
            do {
                notes = try Self.add(token: token, tenant: tenant, isAdmin: admin, to: tokensFile)
            } catch {
                Output.error("intentctl: \(tokensFile): \(error)")
                throw ExitCode.failure
            }
            // Only once the file holds its entry: a token printed for a failed edit would be useless.
            if generate { Output.line(token) }
            for note in notes { Output.error("intentctl: \(note)") }
        }

        /// Adds `token`'s entry to the file at `path` (created when missing); returns what to tell the operator.
        static func add(token: String, tenant: TenantID, isAdmin: Bool, to path: String) throws -> [String] {
            // Edit the file a symlink points at, so the link stays.
            let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            guard FileStatus.of(path: target) != nil else {
                let edit = try TokenFileEditor.newFile(salt: try TokenSalt.random(), tenant: tenant, token: token, isAdmin: isAdmin)
                try FileSystem.replaceAtomically(target, with: Array(edit.text.utf8), permissions: 0o600)
                var notes = ["created \(path) (mode 600, a new salt) with tenant \(tenant)'s token on line \(edit.entryLine)"]
                if System.effectiveUserID == 0 {
                    notes.append("the file is owned by root: the server accepts that, but must run as root to read it (or chown it to the server's user)")
                }
                return notes
            }
            let file = try ReadOnlyFile(path: target)
            guard file.status.type == .regular else { throw CLIError("not a regular file") }
            guard let bytes = try file.readAll(maxBytes: TokenFile.maxFileBytes) else {
                throw CLIError("larger than \(TokenFile.maxFileBytes >> 20) MiB: is it the right file?")
            }
            file.close()
            guard let text = String(validating: bytes, as: UTF8.self) else { throw CLIError("not UTF-8 text") }
            let edit = try TokenFileEditor.adding(tenant: tenant, token: token, isAdmin: isAdmin, to: text) { try TokenSalt.random() }
            // Root editing a file the server's user owns gives the new file back to that user.
            var owner: (user: UInt32, group: UInt32)?
            if file.status.ownerID != System.effectiveUserID {
                guard System.effectiveUserID == 0 else {
                    throw CLIError(
                        "owned by uid \(file.status.ownerID), not by you (uid \(System.effectiveUserID)): run this as"
                            + " its owner (or as root) so the rewritten file keeps that owner")
                }
                owner = (file.status.ownerID, file.status.groupID)
            }
            try FileSystem.replaceAtomically(target, with: Array(edit.text.utf8), permissions: 0o600, owner: owner)
            var notes = ["added tenant \(tenant)'s token to \(path) (line \(edit.entryLine)); the file is mode 600"]
            if edit.addedSalt { notes.append("added a salt to \(path): its sha256 entries stay valid") }
            return notes + edit.notes
        }

        /// 32 random bytes as base64url without padding (43 characters).
        static func generatedToken() throws -> String {
            Data(try SecureRandom.bytes(32)).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }

        /// The token on `input`: one line of printable ASCII without spaces (what an `authorization:
        /// Bearer` value can carry); the final newline is dropped. Errors never show the token.
        static func token(fromStdin input: FileHandle) throws -> String {
            var bytes = Array(try input.read(upToCount: maxTokenBytes + 3) ?? Data())
            if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            return try token(bytes)
        }

        /// `bytes` as a token, or why it cannot be one.
        static func token(_ bytes: [UInt8]) throws -> String {
            guard !bytes.isEmpty else { throw CLIError("no token on stdin (give one line, or use --generate)") }
            guard bytes.count <= maxTokenBytes else { throw CLIError("the token on stdin is longer than \(maxTokenBytes) bytes") }
            if let index = bytes.firstIndex(where: { !(0x21...0x7e).contains($0) }) {
                throw CLIError(
                    "the token on stdin has a space, a control character or a non-ASCII byte at byte \(index + 1):"
                        + " a bearer token is one line of printable ASCII without spaces")
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
