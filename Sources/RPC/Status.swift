/// The outcome of an RPC: a gRPC status code and a message a person can act on.
///
/// `Status` is not an error; ``RPCError`` is what handlers throw.
public struct Status: Sendable, Hashable, CustomStringConvertible {
    public var code: Code
    public var message: String

    public init(code: Code, message: String = "") {
        self.code = code
        self.message = message
    }

    public static let ok = Status(code: .ok)

    public var description: String {
        message.isEmpty ? code.name : "\(code.name): \(message)"
    }

    /// A gRPC status code, as the wire carries it in `grpc-status`.
    ///
    /// A struct rather than an enum so that a code from a newer peer still round-trips.
    public struct Code: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        public static let ok = Code(rawValue: 0)
        public static let cancelled = Code(rawValue: 1)
        public static let unknown = Code(rawValue: 2)
        public static let invalidArgument = Code(rawValue: 3)
        public static let deadlineExceeded = Code(rawValue: 4)
        public static let notFound = Code(rawValue: 5)
        public static let alreadyExists = Code(rawValue: 6)
        public static let permissionDenied = Code(rawValue: 7)
        public static let resourceExhausted = Code(rawValue: 8)
        public static let failedPrecondition = Code(rawValue: 9)
        public static let aborted = Code(rawValue: 10)
        public static let outOfRange = Code(rawValue: 11)
        public static let unimplemented = Code(rawValue: 12)
        public static let `internal` = Code(rawValue: 13)
        public static let unavailable = Code(rawValue: 14)
        public static let dataLoss = Code(rawValue: 15)
        public static let unauthenticated = Code(rawValue: 16)

        private static let names = [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
            "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
            "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
            "UNAUTHENTICATED",
        ]

        /// The canonical upper-case name (`DEADLINE_EXCEEDED`), or `CODE(n)` for an unknown code.
        public var name: String {
            rawValue >= 0 && rawValue < Code.names.count ? Code.names[rawValue] : "CODE(\(rawValue))"
        }

        public var description: String { name }

        /// Parses a canonical name such as `INVALID_ARGUMENT`.
        public init?(name: String) {
            guard let index = Code.names.firstIndex(of: name.uppercased()) else { return nil }
            self.rawValue = index
        }

        /// The status a client reports for a response that is not gRPC, from its HTTP status,
        /// as grpc/doc/http-grpc-status-mapping.md defines it.
        public init(httpStatus: Int) {
            switch httpStatus {
            case 400: self = .internal
            case 401: self = .unauthenticated
            case 403: self = .permissionDenied
            case 404: self = .unimplemented
            case 429, 502, 503, 504: self = .unavailable
            default: self = .unknown
            }
        }
    }
}
