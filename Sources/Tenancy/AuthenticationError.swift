/// Why a call has no valid credentials (the service answers UNAUTHENTICATED with ``description``).
public enum AuthenticationError: Error, Equatable, CustomStringConvertible {
    /// Neither an `authorization` header nor a mapped client certificate.
    case missingCredentials
    /// An `authorization` value that is not `Bearer <token>`; the associated text says what is wrong.
    case malformedAuthorization(String)
    /// A well-formed bearer token that no entry of the tokens file matches.
    case unknownToken
    /// A verified client certificate whose subject no entry of the tokens file maps to a tenant.
    case unknownCertificate(String)

    public var description: String {
        switch self {
        case .missingCredentials:
            "missing credentials: send 'authorization: Bearer <token>' metadata"
                + " (or connect with a client certificate mapped to a tenant)"
        case .malformedAuthorization(let problem):
            "malformed authorization metadata: \(problem); send 'authorization: Bearer <token>'"
        case .unknownToken:
            "unknown bearer token: it matches no entry of the server's tokens file;"
                + " check the token, or ask the operator to add it (`intentctl token hash`)"
        case .unknownCertificate(let subject):
            "client certificate '\(subject)' is not mapped to a tenant: send 'authorization: Bearer <token>'"
                + " metadata, or ask the operator to add the subject under client_certificates in tokens.yaml"
        }
    }
}
