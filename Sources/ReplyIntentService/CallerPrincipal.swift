internal import RPC
internal import Tenancy
internal import TenantStore

extension ServiceCore {
    /// The caller: the principal the route's admission authenticated at the call's HEADERS (the
    /// transport runs ``admit(_:)`` before it buffers a request byte), or, for a call that did not
    /// come through the transport's admission (tests calling handlers directly), authenticated now.
    func principal(_ info: ServerCallInfo) throws(RPCError) -> Principal {
        try admitted(info).principal
    }

    /// The caller and its tenant's snapshot of the same store generation, as admitted (see
    /// ``principal(_:)``): the request uses this one snapshot to its end.
    func admitted(_ info: ServerCallInfo) throws(RPCError) -> TenantAdmission {
        if let admitted = info.admission as? TenantAdmission { return admitted }
        return try authenticate(info)
    }

    /// The admin caller (see ``principal(_:)``).
    func adminPrincipal(_ info: ServerCallInfo) throws(RPCError) -> Principal {
        if let admitted = info.admission as? TenantAdmission, admitted.principal.isAdmin { return admitted.principal }
        return try authenticateAdmin(info).principal
    }

    /// The caller, from its `authorization` metadata and verified client certificate, with its
    /// tenant's snapshot; any failure is `UNAUTHENTICATED` with the reason.
    func authenticate(_ info: ServerCallInfo) throws(RPCError) -> TenantAdmission {
        let result = tenants.admit(
            authorization: info.requestMetadata.first("authorization"),
            certificateSubject: info.peerCertificateSubject)
        switch result {
        case .success(let admission): return admission
        case .failure(let error): throw RPCError(.unauthenticated, error.description)
        }
    }

    /// Admin RPCs: an admin token, or any caller in single-tenant mode.
    func authenticateAdmin(_ info: ServerCallInfo) throws(RPCError) -> TenantAdmission {
        let admission = try authenticate(info)
        let principal = admission.principal
        guard principal.isAdmin else {
            throw RPCError(
                .permissionDenied,
                "admin RPCs need an admin token: tenant '\(principal.tenant)' authenticated by \(principal.via) is not an admin")
        }
        return admission
    }
}
