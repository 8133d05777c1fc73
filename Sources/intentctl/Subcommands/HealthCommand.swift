internal import ArgumentParser
internal import GRPCTransport
internal import Messages
internal import RPC

/// `intentctl health`: asks grpc.health.v1.Health/Check and prints the serving status.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check a server's health (grpc.health.v1.Health/Check); exits 1 unless SERVING.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The service to ask about; empty for the whole server.")
    var service = ""

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Double = 10

    func validate() throws {
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be between 0 and 3600 seconds") }
    }

    func run() async throws {
        let channel = try GRPCChannel(configuration: connection.channelConfiguration)
        defer { channel.close() }
        do {
            let status = try await Self.check(channel: channel, service: service, timeout: .milliseconds(Int64(timeout * 1000)))
            print(status)
            if status != .serving { throw ExitCode.failure }
        } catch let error as RPCError {
            print("health check failed: \(error.status)")
            throw ExitCode.failure
        }
    }

    /// One Health/Check call: the serving status of `service` ("" for the whole server).
    static func check(
        channel: GRPCChannel, service: String, timeout: Duration
    ) async throws -> HealthCheckResponse.ServingStatus {
        let reply = try await channel.unary(
            path: "/grpc.health.v1.Health/Check", request: HealthCheckRequest(service: service).serializedBytes(),
            timeout: timeout)
        return try HealthCheckResponse(serializedBytes: reply.message).status
    }
}
