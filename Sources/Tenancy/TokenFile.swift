import Foundation
internal import Posix
internal import Yams

/// The tenants' credentials (tokens.yaml). Holds only keyed digests of tokens, never a token:
///
/// ```yaml
/// salt: 5e3a...                    # 64 hex digits: 32 random bytes, the HMAC key of every entry
/// tokens:
///   - tenant: acme                 # ^[a-z0-9][a-z0-9_-]{0,62}$
///     hmac_sha256: 9f86d08...      # HMAC-SHA256(key: salt, message: token): `intentctl token hash` writes it
///     admin: true                  # optional, default false: may call ReplyIntentAdmin
///     name: ci-bot                 # optional label for people
///   - {tenant: globex, sha256: 2c26b46...}   # legacy: the unsalted SHA-256, accepted with a warning
/// client_certificates:             # optional: verified mTLS client subjects, matched exactly as
///   - subject: "CN=shop-client,O=Acme"   # `openssl x509 -noout -subject -nameopt RFC2253` prints them
///     tenant: acme
///     admin: false
/// ```
/// Unknown keys, invalid tenant ids, digests that are not 64 hex digits, an entry with both
/// `hmac_sha256` and `sha256` (or neither), `hmac_sha256` without a `salt`, and a digest or a
/// subject listed twice are errors that name the entry and its line.
///
/// ``load(path:)`` also checks who may change the file (``TokenFilePermissions``).
public struct TokenFile: Sendable, Equatable {
    public struct Token: Sendable, Equatable {
        /// How a token is stored: never the token itself.
        public enum Digest: Sendable, Equatable {
            /// `hmac_sha256`: HMAC-SHA256(key: the file's ``TokenFile/salt``, message: the token),
            /// 64 lower-case hex digits.
            case hmacSHA256(String)
            /// `sha256`: the legacy unsalted SHA-256 of the token, 64 lower-case hex digits.
            case sha256(String)
        }

        public let tenant: TenantID
        public let digest: Digest
        public let isAdmin: Bool
        public let name: String?
        /// The entry's 1-based line in the file, when known.
        public let line: Int?

        /// Whether the entry is in the legacy unsalted `sha256` form.
        public var isLegacy: Bool {
            if case .sha256 = digest { return true }
            return false
        }
    }

    public struct ClientCertificate: Sendable, Equatable {
        /// The verified subject as the TLS layer prints it (RFC 2253, such as `CN=client,O=Shop`),
        /// compared exactly (outer spaces trimmed).
        public let subject: String
        public let tenant: TenantID
        public let isAdmin: Bool
    }

    /// The HMAC key of the `hmac_sha256` entries (nil when the file has no `salt:`).
    public let salt: TokenSalt?
    public let tokens: [Token]
    public let clientCertificates: [ClientCertificate]
    /// What the operator should fix although the file is usable: legacy entries, and (from
    /// ``load(path:)``) a file that group or others can read. The server logs each on every load.
    public let warnings: [String]

    /// The tenants that have at least one credential.
    public var tenants: Set<TenantID> { Set(tokens.map(\.tenant) + clientCertificates.map(\.tenant)) }

    /// The largest tokens file read (16 MiB: about 100,000 entries).
    public static let maxFileBytes = 16 << 20

    /// Opens `path`, checks the opened file's type, owner and permissions
    /// (``TokenFilePermissions/check(_:path:serverUserID:)``, against this process's effective user),
    /// then reads and parses it. The warnings of both end up in ``warnings``.
    public static func load(path: String) throws(TokenFileError) -> TokenFile {
        let bytes: [UInt8]
        let permissionWarnings: [String]
        do {
            let file = try ReadOnlyFile(path: path)
            defer { file.close() }
            do {
                permissionWarnings = try TokenFilePermissions.check(
                    file.status, path: path, serverUserID: System.effectiveUserID)
            } catch {
                var located = error
                located.path = path
                throw located
            }
            guard let read = try file.readAll(maxBytes: maxFileBytes) else {
                throw TokenFileError(
                    path: path, problem: "the tokens file is larger than \(maxFileBytes >> 20) MiB: is it the right file?")
            }
            bytes = read
        } catch let error as TokenFileError {
            throw error
        } catch let error as SystemCallError {
            throw TokenFileError(path: path, problem: "cannot read the tokens file: \(error.message)")
        } catch {
            throw TokenFileError(path: path, problem: "cannot read the tokens file: \(error)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TokenFileError(path: path, problem: "the tokens file is not UTF-8 text")
        }
        do {
            let parsed = try parse(yaml: text, path: path)
            return TokenFile(
                salt: parsed.salt, tokens: parsed.tokens, clientCertificates: parsed.clientCertificates,
                warnings: permissionWarnings.map { "\(path): \($0)" } + parsed.warnings)
        } catch {
            var located = error
            located.path = path
            throw located
        }
    }

    /// Parses tokens.yaml text (no permission checks: ``load(path:)`` makes those).
    public static func parse(yaml: String) throws(TokenFileError) -> TokenFile {
        try parse(yaml: yaml, path: nil)
    }

    private static func parse(yaml: String, path: String?) throws(TokenFileError) -> TokenFile {
        let root = try YAMLReading.rootMapping(yaml)
        var salt: TokenSalt?
        var tokens: [Token] = []
        var certificates: [ClientCertificate] = []
        var certificateLines: [Int?] = []
        for (key, value, _) in try YAMLReading.entries(
            of: root, allowed: ["salt", "tokens", "client_certificates"], context: "tokens file")
        {
            switch key {
            case "salt":
                salt = try saltValue(value)
            case "tokens":
                for (index, node) in try YAMLReading.sequence(value, key: key).enumerated() {
                    tokens.append(try token(node, index: index))
                }
            default:
                for (index, node) in try YAMLReading.sequence(value, key: key).enumerated() {
                    certificates.append(try certificate(node, index: index))
                    certificateLines.append(node.mark?.line)
                }
            }
        }
        if salt == nil, let (index, token) = tokens.enumerated().first(where: { !$0.element.isLegacy }) {
            throw TokenFileError(
                line: token.line,
                problem: "tokens[\(index)] (tenant \(token.tenant)): hmac_sha256 needs the file's salt, and the file has"
                    + " none: put back the 'salt:' line the codes were made with, or re-hash the tokens with"
                    + " `intentctl token hash`")
        }
        var hmacs: [(index: Int, value: String)] = []
        var digests: [(index: Int, value: String)] = []
        for (index, token) in tokens.enumerated() {
            switch token.digest {
            case .hmacSHA256(let hex): hmacs.append((index, hex))
            case .sha256(let hex): digests.append((index, hex))
            }
        }
        let tokenLines = tokens.map(\.line)
        try rejectDuplicates(hmacs, what: "tokens", field: "hmac_sha256", lines: tokenLines)
        try rejectDuplicates(digests, what: "tokens", field: "sha256", lines: tokenLines)
        try rejectDuplicates(
            certificates.map(\.subject).enumerated().map { ($0.offset, $0.element) }, what: "client_certificates",
            field: "subject", lines: certificateLines)
        return TokenFile(
            salt: salt, tokens: tokens, clientCertificates: certificates,
            warnings: legacyWarning(tokens, path: path).map { [$0] } ?? [])
    }

    /// One warning for all legacy entries, naming their tenants and lines (the first 10; never a digest).
    private static func legacyWarning(_ tokens: [Token], path: String?) -> String? {
        let legacy = tokens.filter(\.isLegacy)
        guard !legacy.isEmpty else { return nil }
        let shown = 10  // a file of thousands of legacy entries must not make a log line of thousands
        var entries = legacy.prefix(shown).map { token in "tenant \(token.tenant)" + (token.line.map { " (line \($0))" } ?? "") }
        if legacy.count > shown { entries.append("and \(legacy.count - shown) more") }
        let file = path ?? "FILE"
        return "\(path.map { "\($0): " } ?? "")\(legacy.count) token\(legacy.count == 1 ? "" : "s") in the legacy"
            + " unsalted sha256 form: \(entries.joined(separator: ", ")); re-hash each with `intentctl token hash"
            + " --tokens-file \(file) --tenant TENANT --token-stdin` (it adds a salt and an hmac_sha256 entry),"
            + " then delete its sha256 entry"
    }

    private static func saltValue(_ node: Node) throws(TokenFileError) -> TokenSalt {
        let raw = try YAMLReading.string(node, key: "salt", context: "tokens file")
        guard let salt = TokenSalt(hex: raw) else {
            throw TokenFileError(
                line: node.mark?.line,
                problem: "salt: expected 64 hex digits (32 random bytes; `intentctl token hash` writes one), got"
                    + " \(raw.count) characters\(Hex.isHex(raw) ? "" : ", not all hex")")
        }
        return salt
    }

    private static func token(_ node: Node, index: Int) throws(TokenFileError) -> Token {
        let context = "tokens[\(index)]"
        guard let mapping = node.mapping else {
            throw TokenFileError(
                line: node.mark?.line, problem: "\(context): expected a mapping with tenant, hmac_sha256 and optional admin")
        }
        var tenant: TenantID?
        var hmac: String?
        var digest: String?
        var isAdmin = false
        var name: String?
        for (key, value, _) in try YAMLReading.entries(
            of: mapping, allowed: ["tenant", "hmac_sha256", "sha256", "admin", "name"], context: context)
        {
            switch key {
            case "tenant": tenant = try tenantID(value, context: context)
            case "hmac_sha256": hmac = try hexDigest(value, key: key, context: context)
            case "sha256": digest = try hexDigest(value, key: key, context: context)
            case "admin": isAdmin = try YAMLReading.bool(value, key: key, context: context)
            default: name = try YAMLReading.string(value, key: key, context: context)
            }
        }
        let line = mapping.mark?.line
        guard let tenant else { throw TokenFileError(line: line, problem: "\(context): missing key 'tenant'") }
        let stored: Token.Digest
        switch (hmac, digest) {
        case (let hmac?, nil): stored = .hmacSHA256(hmac)
        case (nil, let digest?): stored = .sha256(digest)
        case (.some, .some):
            throw TokenFileError(
                line: line,
                problem: "\(context) (tenant \(tenant)): both hmac_sha256 and sha256; an entry holds one: keep"
                    + " hmac_sha256 (salted) and delete sha256")
        case (nil, nil):
            throw TokenFileError(
                line: line,
                problem: "\(context) (tenant \(tenant)): missing the token's digest: add hmac_sha256 with"
                    + " `intentctl token hash` (or the legacy sha256)")
        }
        return Token(tenant: tenant, digest: stored, isAdmin: isAdmin, name: name, line: line)
    }

    private static func certificate(_ node: Node, index: Int) throws(TokenFileError) -> ClientCertificate {
        let context = "client_certificates[\(index)]"
        guard let mapping = node.mapping else {
            throw TokenFileError(
                line: node.mark?.line, problem: "\(context): expected a mapping with subject, tenant and optional admin")
        }
        var subject: String?
        var tenant: TenantID?
        var isAdmin = false
        for (key, value, line) in try YAMLReading.entries(
            of: mapping, allowed: ["subject", "tenant", "admin"], context: context)
        {
            switch key {
            case "subject":
                let text = try YAMLReading.string(value, key: key, context: context)
                    .trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else {
                    throw TokenFileError(line: line, problem: "\(context): subject: must not be empty")
                }
                subject = text
            case "tenant": tenant = try tenantID(value, context: context)
            default: isAdmin = try YAMLReading.bool(value, key: key, context: context)
            }
        }
        let line = mapping.mark?.line
        guard let subject else { throw TokenFileError(line: line, problem: "\(context): missing key 'subject'") }
        guard let tenant else {
            throw TokenFileError(line: line, problem: "\(context) (subject '\(subject)'): missing key 'tenant'")
        }
        return ClientCertificate(subject: subject, tenant: tenant, isAdmin: isAdmin)
    }

    private static func tenantID(_ node: Node, context: String) throws(TokenFileError) -> TenantID {
        let raw = try YAMLReading.string(node, key: "tenant", context: context)
        guard let tenant = TenantID(raw) else {
            let problem = TenantID.problem(with: raw) ?? "invalid tenant id"
            throw TokenFileError(
                line: node.mark?.line, problem: "\(context): tenant: '\(raw.prefix(80))' is not a valid tenant id: \(problem)")
        }
        return tenant
    }

    /// 64 hex digits, returned lower-cased. The error never echoes the value: an operator who pasted
    /// the token itself here must not find it in a log.
    private static func hexDigest(_ node: Node, key: String, context: String) throws(TokenFileError) -> String {
        let raw = try YAMLReading.string(node, key: key, context: context)
        let isHex = Hex.isHex(raw)
        guard raw.utf8.count == 64, isHex else {
            let how =
                key == "sha256"
                ? "store the SHA-256 of the token, not the token: printf %s \"$TOKEN\" | sha256sum,"
                    + " or better an hmac_sha256 entry from `intentctl token hash`"
                : "store the code `intentctl token hash` prints, not the token"
            throw TokenFileError(
                line: node.mark?.line,
                problem: "\(context): \(key): expected 64 hex digits (got \(raw.count) characters"
                    + "\(isHex ? "" : ", not all hex")); \(how)")
        }
        return raw.lowercased()
    }

    private static func rejectDuplicates(
        _ values: [(index: Int, value: String)], what: String, field: String, lines: [Int?]
    ) throws(TokenFileError) {
        var firstIndex: [String: Int] = [:]
        for (index, value) in values {
            if let first = firstIndex[value] {
                throw TokenFileError(
                    line: index < lines.count ? lines[index] : nil,
                    problem: "\(what)[\(index)]: the same \(field) as \(what)[\(first)]; each credential must be listed once")
            }
            firstIndex[value] = index
        }
    }
}
