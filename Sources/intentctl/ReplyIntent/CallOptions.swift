internal import ArgumentParser
internal import Foundation
internal import RPC

/// Credentials and deadline for the ReplyIntent calls.
struct CallOptions: ParsableArguments {
    static let tokenEnvironmentVariable = "REPLYINTENT_TOKEN"

    @Option(help: ArgumentHelp(
        "Bearer token, sent as 'authorization: Bearer <token>' (default: $\(CallOptions.tokenEnvironmentVariable)).",
        valueName: "token"))
    var token: String?

    @Option(help: ArgumentHelp(
        "Seconds the server has to answer (the call's deadline); streams have none unless given.", valueName: "seconds"))
    var deadline: Double?

    func validate() throws {
        if let deadline, !(deadline > 0 && deadline <= 86_400) {
            throw ValidationError("--deadline must be more than 0 and at most 86400 seconds, got \(deadline)")
        }
        if let token { try Self.check(token: token, source: "--token") }
    }

    /// The token from `--token`, else from the environment; nil when neither gives one.
    func resolvedToken(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let token { return token }
        guard let fromEnvironment = environment[Self.tokenEnvironmentVariable], !fromEnvironment.isEmpty else { return nil }
        try Self.check(token: fromEnvironment, source: "$\(Self.tokenEnvironmentVariable)")
        return fromEnvironment
    }

    /// The call metadata: `authorization: Bearer <token>` when there is a token.
    func metadata(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Metadata {
        var metadata = Metadata()
        if let token = try resolvedToken(environment: environment) { metadata.add("authorization", "Bearer \(token)") }
        return metadata
    }

    /// The deadline as a timeout from now; `fallback` when `--deadline` was not given.
    func timeout(default fallback: Duration?) -> Duration? {
        guard let deadline else { return fallback }
        return .milliseconds(Int64((deadline * 1000).rounded(.up)))
    }

    /// A token must fit in one HTTP/2 header value: printable ASCII, no spaces.
    static func check(token: String, source: String) throws {
        guard !token.isEmpty else { throw ValidationError("\(source) is empty") }
        guard token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw ValidationError("\(source) must be printable ASCII without spaces or line breaks (a bearer token)")
        }
    }
}
