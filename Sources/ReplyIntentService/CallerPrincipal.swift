internal import RPC
internal import Tenancy

extension ServiceCore {
    /// The caller: the principal the route's admission authenticated at the call's HEADERS (the
    /// transport runs ``admit(_:)`` before it buffers a request byte), or, for a call that did not
    /// come through the transport's admission (tests calling handlers directly), authenticated now.
    func principal(_ info: ServerCallInfo) throws(RPCError) -> Principal {
        if let admitted = info.admission as? Principal { return admitted }
        return try authenticate(info)
    }

    /// The admin caller (see ``principal(_:)``).
    func adminPrincipal(_ info: ServerCallInfo) throws(RPCError) -> Principal {
        if let admitted = info.admission as? Principal, admitted.isAdmin { return admitted }
        return try authenticateAdmin(info)
    }

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
