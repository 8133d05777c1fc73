internal import RPC
internal import Tenancy

extension ServiceCore {
    /// The caller, from its `authorization` metadata and verified client certificate; any
    /// failure is `UNAUTHENTICATED` with the reason.
    func authenticate(_ info: ServerCallInfo) throws(RPCError) -> Principal {
        let result = authenticator.authenticate(
            authorization: info.requestMetadata.first("authorization"),
            certificateSubject: info.peerCertificateSubject)
        switch result {
        case .success(let principal): return principal
        case .failure(let error): throw RPCError(.unauthenticated, error.description)
        }
    }

    /// Admin RPCs: an admin token, or any caller in single-tenant mode.
    func authenticateAdmin(_ info: ServerCallInfo) throws(RPCError) -> Principal {
        let principal = try authenticate(info)
        guard principal.isAdmin else {
            throw RPCError(
                .permissionDenied,
                "admin RPCs need an admin token: tenant '\(principal.tenant)' authenticated by \(principal.via) is not an admin")
        }
        return principal
    }
}
