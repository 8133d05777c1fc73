import Foundation
internal import Yams

/// The tenants' credentials (tokens.yaml). Holds only SHA-256 digests, never a token:
///
/// ```yaml
/// tokens:
///   - tenant: acme                 # ^[a-z0-9][a-z0-9_-]{0,62}$
///     sha256: 9f86d08...           # 64 hex digits: printf %s "$TOKEN" | sha256sum
///     admin: true                  # optional, default false: may call ReplyIntentAdmin
///     name: ci-bot                 # optional label for people
/// client_certificates:             # optional: verified mTLS client subjects, matched exactly as
///   - subject: "CN=shop-client,O=Acme"   # `openssl x509 -noout -subject -nameopt RFC2253` prints them
///     tenant: acme
///     admin: false
/// ```
/// Unknown keys, invalid tenant ids, digests that are not 64 hex digits, and a digest or a
/// subject listed twice are errors that name the entry.
public struct TokenFile: Sendable, Equatable {
    public struct Token: Sendable, Equatable {
        public let tenant: TenantID
        /// 64 lower-case hex digits.
        public let sha256: String
        public let isAdmin: Bool
        public let name: String?
    }

    public struct ClientCertificate: Sendable, Equatable {
        /// The verified subject as the TLS layer prints it (RFC 2253, such as `CN=client,O=Shop`),
        /// compared exactly (outer spaces trimmed).
        public let subject: String
        public let tenant: TenantID
        public let isAdmin: Bool
    }

    public let tokens: [Token]
    public let clientCertificates: [ClientCertificate]

    /// The tenants that have at least one credential.
    public var tenants: Set<TenantID> { Set(tokens.map(\.tenant) + clientCertificates.map(\.tenant)) }

    public static func load(path: String) throws(TokenFileError) -> TokenFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TokenFileError(path: path, problem: "cannot read the tokens file: \(error.localizedDescription)")
        }
        do {
            return try parse(yaml: text)
        } catch {
            var located = error
            located.path = path
            throw located
        }
    }

    public static func parse(yaml: String) throws(TokenFileError) -> TokenFile {
        let root = try YAMLReading.rootMapping(yaml)
        var tokens: [Token] = []
        var certificates: [ClientCertificate] = []
        var tokenLines: [Int?] = []
        var certificateLines: [Int?] = []
        for (key, value, _) in try YAMLReading.entries(
            of: root, allowed: ["tokens", "client_certificates"], context: "tokens file")
        {
            if key == "tokens" {
                for (index, node) in try YAMLReading.sequence(value, key: key).enumerated() {
                    tokens.append(try token(node, index: index))
                    tokenLines.append(node.mark?.line)
                }
            } else {
                for (index, node) in try YAMLReading.sequence(value, key: key).enumerated() {
                    certificates.append(try certificate(node, index: index))
                    certificateLines.append(node.mark?.line)
                }
            }
        }
        try rejectDuplicates(tokens.map(\.sha256), what: "tokens", field: "sha256", lines: tokenLines)
        try rejectDuplicates(certificates.map(\.subject), what: "client_certificates", field: "subject", lines: certificateLines)
        return TokenFile(tokens: tokens, clientCertificates: certificates)
    }

    private static func token(_ node: Node, index: Int) throws(TokenFileError) -> Token {
        let context = "tokens[\(index)]"
        guard let mapping = node.mapping else {
            throw TokenFileError(
                line: node.mark?.line, problem: "\(context): expected a mapping with tenant, sha256 and optional admin")
        }
        var tenant: TenantID?
        var digest: String?
        var isAdmin = false
        var name: String?
        for (key, value, _) in try YAMLReading.entries(
            of: mapping, allowed: ["tenant", "sha256", "admin", "name"], context: context)
        {
            switch key {
            case "tenant": tenant = try tenantID(value, context: context)
            case "sha256": digest = try sha256(value, context: context)
            case "admin": isAdmin = try YAMLReading.bool(value, key: key, context: context)
            default: name = try YAMLReading.string(value, key: key, context: context)
            }
        }
        let line = mapping.mark?.line
        guard let tenant else { throw TokenFileError(line: line, problem: "\(context): missing key 'tenant'") }
        guard let digest else {
            throw TokenFileError(line: line, problem: "\(context) (tenant \(tenant)): missing key 'sha256'")
        }
        return Token(tenant: tenant, sha256: digest, isAdmin: isAdmin, name: name)
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
    private static func sha256(_ node: Node, context: String) throws(TokenFileError) -> String {
        let raw = try YAMLReading.string(node, key: "sha256", context: context)
        let isHex = raw.utf8.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }
        guard raw.utf8.count == 64, isHex else {
            throw TokenFileError(
                line: node.mark?.line,
                problem: "\(context): sha256: expected 64 hex digits (got \(raw.count) characters"
                    + "\(isHex ? "" : ", not all hex")); store the SHA-256 of the token, not the token:"
                    + " printf %s \"$TOKEN\" | sha256sum")
        }
        return raw.lowercased()
    }

    private static func rejectDuplicates(
        _ values: [String], what: String, field: String, lines: [Int?]
    ) throws(TokenFileError) {
        var firstIndex: [String: Int] = [:]
        for (index, value) in values.enumerated() {
            if let first = firstIndex[value] {
                throw TokenFileError(
                    line: index < lines.count ? lines[index] : nil,
                    problem: "\(what)[\(index)]: the same \(field) as \(what)[\(first)]; each credential must be listed once")
            }
            firstIndex[value] = index
        }
    }
}
