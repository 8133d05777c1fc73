internal import ArgumentParser
internal import GRPCTransport
internal import Posix
internal import RPC

/// How the ReplyIntent commands end when a call fails: one line on stderr,
/// `intentctl: <CODE>: <message>`, and the gRPC status code as the exit status.
enum CommandFailure {
    /// The stderr line for a failed call.
    static func line(for error: RPCError) -> String {
        error.message.isEmpty ? "intentctl: \(error.code.name)" : "intentctl: \(error.code.name): \(error.message)"
    }

    /// The exit status for a failed call: its gRPC code (1 to 16), 1 for anything odd.
    static func exitCode(for error: RPCError) -> ExitCode {
        ExitCode(Int32(clamping: (1...255).contains(error.code.rawValue) ? error.code.rawValue : 1))
    }

    /// Runs `body` with a channel built from `connection`; a non-OK status is reported on stderr
    /// and becomes the exit status, and so is a channel that cannot be set up (TLS files).
    static func run(
        connection: ConnectionOptions, _ body: (GRPCChannel) async throws -> Void
    ) async throws {
        let channel: GRPCChannel
        do {
            channel = try GRPCChannel(configuration: connection.channelConfiguration)
        } catch {
            Output.error("intentctl: cannot set up the connection: \(error)")
            throw ExitCode.failure
        }
        defer { channel.close() }
        do {
            try await body(channel)
        } catch let error as RPCError {
            Output.error(line(for: error))
            throw exitCode(for: error)
        }
    }
}
