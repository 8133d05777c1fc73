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

    public init(
        path: MethodPath, requestMetadata: Metadata, deadline: ContinuousClock.Instant?, peer: String,
        peerCertificateSubject: String? = nil
    ) {
        self.path = path
        self.requestMetadata = requestMetadata
        self.deadline = deadline
        self.peer = peer
        self.peerCertificateSubject = peerCertificateSubject
    }
}
