import ArgumentParser
import GRPCTransport
import Testing

@testable import intentctl

/// The interop command line as the matrix runners write it.
struct CommandLineTests {
    @Test(arguments: [
        (["--use_tls=true", "--server_port=1"], ["--use_tls", "--server_port=1"]),
        (["--use_tls=false", "--use_test_ca=1"], ["--use_test_ca"]),
        (["--use_tls", "--ca_file", "x=y"], ["--use_tls", "--ca_file", "x=y"]),
        (["--", "--use_tls=true"], ["--", "--use_tls=true"]),
        (["--use_tls=maybe"], ["--use_tls=maybe"]),
    ])
    func booleanFlagsAcceptTheInteropSpelling(input: [String], expected: [String]) {
        #expect(BooleanFlagSpelling.normalize(input) == expected)
    }

    @Test func parsesTheMatrixRunnersFlags() throws {
        let arguments = BooleanFlagSpelling.normalize([
            "interop", "--server_host", "127.0.0.1", "--server_port", "50051", "--test_case", "all", "--use_tls",
            "--ca_file", "/tmp/ca.pem", "--server_host_override", "foo.test.google.fr",
        ])
        let command = try #require(try IntentCtl.parseAsRoot(arguments) as? InteropCommand)
        #expect(command.connection.serverHost == "127.0.0.1")
        #expect(command.connection.serverPort == 50051)
        #expect(command.testCase == "all")
        let configuration = command.connection.channelConfiguration
        #expect(configuration.tls?.caFile == "/tmp/ca.pem")
        #expect(configuration.authority == "foo.test.google.fr")
    }

    @Test func parsesEqualsSpelling() throws {
        let arguments = BooleanFlagSpelling.normalize([
            "interop", "--server_host=localhost", "--server_port=8080", "--test_case=empty_unary,ping_pong",
            "--use_tls=false",
        ])
        let command = try #require(try IntentCtl.parseAsRoot(arguments) as? InteropCommand)
        #expect(command.connection.channelConfiguration.tls == nil)
        #expect(command.connection.channelConfiguration.authority == "localhost:8080")
        #expect(InteropRunner.select(command.testCase) == [.known(.emptyUnary), .known(.pingPong)])
    }

    @Test func rejectsABadPort() {
        #expect(throws: (any Error).self) { try IntentCtl.parseAsRoot(["interop", "--server_port", "0"]) }
    }

    @Test func selectsAllNineteenCasesInSpecOrder() {
        let all = InteropRunner.select("all")
        #expect(all.count == 19)
        #expect(all.first == .known(.emptyUnary))
        #expect(all.last == .known(.veryLargeRequest))
    }

    @Test func keepsUnknownCaseNames() {
        #expect(InteropRunner.select("large_unary, nope") == [.known(.largeUnary), .unknown("nope")])
    }

    @Test func summaryLine() {
        #expect(InteropRunner.Summary(passed: 18, failed: 1).line == "18 passed, 1 failed")
        #expect(InteropRunner.Summary(passed: 1, failed: 0, skipped: 2).line == "1 passed, 0 failed, 2 skipped")
    }
}
