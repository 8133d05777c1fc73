internal import Crypto

/// Turns a call's credentials into a ``Principal``: the credentials of one tokens file (or
/// single-tenant mode), immutable. A reload builds a new one from the new file, and the tenant
/// store swaps it in with the tenants of the same generation; every event loop calls
/// ``authenticate(authorization:certificateSubject:)`` concurrently.
///
/// Rules, in order:
/// 1. Single-tenant mode (no tokens file): every caller is tenant "default", admin, whatever it sends.
/// 2. An `authorization` value, when present, decides alone: it must be `Bearer <token>` (scheme
///    case-insensitive) and the token's HMAC-SHA256 under the file's salt (or, for legacy
///    entries, its SHA-256) must be in the tokens file, else the call fails
///    (``AuthenticationError/malformedAuthorization(_:)`` / ``AuthenticationError/unknownToken``)
///    even if a client certificate would have been accepted.
/// 3. Else a verified client certificate whose subject the tokens file maps to a tenant
///    (``AuthenticationError/unknownCertificate(_:)`` when it maps to none).
/// 4. Else ``AuthenticationError/missingCredentials``.
public final class Authenticator: Sendable {
    public enum Mode: Sendable {
        case singleTenant
        case tokens(TokenFile)
    }

    private let current: CredentialTable

    public init(mode: Mode) {
        current = CredentialTable(mode)
    }

    public var isSingleTenant: Bool { current.isSingleTenant }

    /// One line for the start-up log, such as "single-tenant mode: every caller is tenant 'default'
    /// (admin); give --tokens-file to require credentials" or "tokens mode: 3 tokens and 1 client
    /// certificate for 2 tenants".
    public var modeDescription: String { current.description }

    /// - Parameters:
    ///   - authorization: the `authorization` metadata value (nil when absent).
    ///   - certificateSubject: the verified mTLS client certificate subject (nil without one).
    public func authenticate(authorization: String?, certificateSubject: String?) -> Result<Principal, AuthenticationError> {
        let table = current
        if table.isSingleTenant { return .success(CredentialTable.singleTenantPrincipal) }
        if let authorization {
            switch BearerToken.parse(authorization) {
            case .failure(let error):
                return .failure(error)
            case .success(let token):
                guard let principal = table.principal(forToken: token) else { return .failure(.unknownToken) }
                return .success(principal)
            }
        }
        if let certificateSubject {
            guard let principal = table.certificates[certificateSubject] else {
                return .failure(.unknownCertificate(certificateSubject))
            }
            return .success(principal)
        }
        return .failure(.missingCredentials)
    }
}

/// The credentials of one tokens file, keyed for lookup. Immutable.
final class CredentialTable: Sendable {
    static let singleTenantPrincipal = Principal(tenant: .singleTenant, isAdmin: true, via: Principal.Via.singleTenant)

    let isSingleTenant: Bool
    /// The salt as a prepared HMAC key (nil when no entry is salted: no HMAC is computed then).
    let saltKey: HMACSHA256?
    /// HMAC-SHA256(salt, token) -> principal. No plaintext token is ever stored.
    let salted: DigestIndex
    /// Legacy SHA-256(token) -> principal.
    let legacy: DigestIndex
    /// Verified certificate subject -> its principal.
    let certificates: [String: Principal]
    let description: String

    init(_ mode: Authenticator.Mode) {
        switch mode {
        case .singleTenant:
            isSingleTenant = true
            saltKey = nil
            salted = DigestIndex()
            legacy = DigestIndex()
            certificates = [:]
            description =
                "single-tenant mode: every caller is tenant '\(TenantID.singleTenant)' (admin);"
                + " give a tokens file to require credentials"
        case .tokens(let file):
            isSingleTenant = false
            var salted = DigestIndex()
            var legacy = DigestIndex()
            for token in file.tokens {
                let principal = Principal(tenant: token.tenant, isAdmin: token.isAdmin, via: Principal.Via.token)
                switch token.digest {
                // TokenFile validated every digest as 64 hex digits.
                case .hmacSHA256(let hex): salted.insert(Hex.bytes(hex)!, principal)
                case .sha256(let hex): legacy.insert(Hex.bytes(hex)!, principal)
                }
            }
            // TokenFile refuses hmac_sha256 entries without a salt.
            saltKey = salted.isEmpty ? nil : file.salt.map { HMACSHA256(key: $0.bytes) }
            var certificates: [String: Principal] = [:]
            for certificate in file.clientCertificates {
                certificates[certificate.subject] = Principal(
                    tenant: certificate.tenant, isAdmin: certificate.isAdmin, via: Principal.Via.certificate)
            }
            self.salted = salted
            self.legacy = legacy
            self.certificates = certificates
            let tokenCount = salted.count + legacy.count
            let tenantCount = file.tenants.count
            description =
                "tokens mode: \(tokenCount) token\(tokenCount == 1 ? "" : "s")"
                + (legacy.isEmpty ? "" : " (\(legacy.count) in the legacy sha256 form)")
                + " and \(certificates.count) client certificate\(certificates.count == 1 ? "" : "s") for \(tenantCount)"
                + " tenant\(tenantCount == 1 ? "" : "s")"
        }
    }

    /// The principal of `token`: one HMAC (when the file has salted entries) and, only when that
    /// finds nothing and the file still has legacy entries, one SHA-256; each is one lookup.
    func principal(forToken token: Substring) -> Principal? {
        var token = token
        return token.withUTF8 { bytes in
            if let saltKey, let principal = salted.principal(for: saltKey.mac(bytes)) { return principal }
            if !legacy.isEmpty { return legacy.principal(for: SHA256.hash(bytes)) }
            return nil
        }
    }
}

/// `Bearer <token>` parsing (RFC 6750 section 2.1; the scheme is case-insensitive), over UTF-8
/// bytes so the per-call path does not lower-case or split strings.
enum BearerToken {
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let scheme = Array("bearer".utf8)

    /// The token (trimmed), or why the value is not `Bearer <token>`.
    static func parse(_ value: String) -> Result<Substring, AuthenticationError> {
        let bytes = value.utf8
        let isSpace: (UInt8) -> Bool = { $0 == space || $0 == tab }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return .failure(.malformedAuthorization("the value is empty")) }
        let trimmed = bytes[start...last]
        let schemeEnd = trimmed.firstIndex(where: isSpace) ?? trimmed.endIndex
        let schemeBytes = trimmed[..<schemeEnd]
        let isBearer = schemeBytes.count == scheme.count
            && zip(schemeBytes, scheme).allSatisfy { ($0 | 0x20) == $1 }
        guard isBearer else {
            if schemeEnd == trimmed.endIndex {
                return .failure(.malformedAuthorization("expected a scheme and a token separated by a space"))
            }
            let shown = String(decoding: schemeBytes.prefix(20), as: UTF8.self) + (schemeBytes.count > 20 ? "..." : "")
            return .failure(.malformedAuthorization("unsupported scheme '\(shown)', only Bearer is accepted"))
        }
        guard let tokenStart = trimmed[schemeEnd...].firstIndex(where: { !isSpace($0) }) else {
            return .failure(.malformedAuthorization("the token after 'Bearer' is missing"))
        }
        let token = trimmed[tokenStart...]
        guard !token.contains(where: isSpace) else {
            return .failure(.malformedAuthorization("the token contains spaces"))
        }
        return .success(Substring(token))
    }
}
