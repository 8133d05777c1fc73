internal import ArgumentParser
internal import GRPCTransport
internal import Posix

/// `intentctl interop`: the standard gRPC interop client cases against any TestService server.
struct InteropCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interop",
        abstract: "Run the standard gRPC interop test cases against a grpc.testing.TestService server.",
        discussion: """
            Prints one line per case (PASS name, FAIL name: why, SKIP name), then 'N passed, N failed'.
            Exits with status 1 when any case failed. Cases: \(InteropTestCase.allCases.map(\.rawValue).joined(separator: ", ")).
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customLong("test_case"), help: "'all', or case names separated by commas.")
    var testCase = "all"

    func run() async throws {
        let selections = InteropRunner.select(testCase)
        guard !selections.isEmpty else { throw ValidationError("--test_case names no test case") }
        let channel = try GRPCChannel(configuration: connection.channelConfiguration)
        defer { channel.close() }
        // Each line is flushed at once: a runner that kills a hung client still sees the cases done.
        let runner = InteropRunner(client: InteropClient(channel: channel), output: { Output.line($0) })
        let summary = await runner.run(selections)
        if summary.failed > 0 { throw ExitCode.failure }
    }
}
