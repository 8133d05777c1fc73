/// What a handler knows about its call before it reads any message.
public struct ServerCallInfo: Sendable {
    /// The method being called.
    public var path: MethodPath
    /// The client's custom metadata (reserved headers removed, `-bin` values decoded).
    public var requestMetadata: Metadata
    /// When the client stops waiting, from `grpc-timeout`; nil when it sent none.
    /// The transport fails the call with `DEADLINE_EXCEEDED` at this instant whatever the handler does.
    public var deadline: ContinuousClock.Instant?
    /// The peer's address, such as `127.0.0.1:53412`.
    public var peer: String
    /// The peer's verified TLS client certificate subject, when mutual TLS was used.
    public var peerCertificateSubject: String?
    /// Identifies the connection the call arrived on (unique within the process), for bounds
    /// that count per connection.
    public var connectionID: UInt64
    /// What the route's ``CallAdmission`` returned (the authenticated caller); nil without one.
    public var admission: (any Sendable)?

    public init(
        path: MethodPath, requestMetadata: Metadata, deadline: ContinuousClock.Instant?, peer: String,
        peerCertificateSubject: String? = nil, connectionID: UInt64 = 0, admission: (any Sendable)? = nil
    ) {
        self.path = path
        self.requestMetadata = requestMetadata
        self.deadline = deadline
        self.peer = peer
        self.peerCertificateSubject = peerCertificateSubject
        self.connectionID = connectionID
        self.admission = admission
    }
}
