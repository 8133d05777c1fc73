import GRPCTransport
import RPC
import Synchronization
import Testing

@testable import intentctl

/// The CLI's 19 interop cases, run by our client against our server (with the interop
/// TestService) over real loopback sockets, plaintext and TLS.
@Suite(.serialized)
struct InteropCasesTests {
    @Test(arguments: Transport.allCases)
    func allNineteenCasesPass(transport: Transport) async throws {
        try await withServer(transport) { _, channel in
            let lines = Mutex<[String]>([])
            let runner = InteropRunner(client: InteropClient(channel: channel), output: { line in lines.withLock { $0.append(line) } })
            let summary = await runner.run(InteropRunner.select("all"))
            let output = lines.withLock { $0 }
            #expect(summary == InteropRunner.Summary(passed: 19, failed: 0), "\(output.joined(separator: "\n"))")
            #expect(output.last == "19 passed, 0 failed")
            #expect(output.filter { $0.hasPrefix("PASS ") }.count == 19)
        }
    }

    @Test func aFailingCaseIsReportedAndTheRestStillRun() async throws {
        // A server without TestService: every case fails, each on its own line.
        try await withServer(.h2c, router: .init()) { _, channel in
            let lines = Mutex<[String]>([])
            let runner = InteropRunner(client: InteropClient(channel: channel), output: { line in lines.withLock { $0.append(line) } })
            let summary = await runner.run(InteropRunner.select("empty_unary,unimplemented_service,bogus"))
            let output = lines.withLock { $0 }
            #expect(summary == InteropRunner.Summary(passed: 1, failed: 2))
            #expect(output.count == 4)
            #expect(output[0].hasPrefix("FAIL empty_unary: unexpected status UNIMPLEMENTED"))
            #expect(output[1] == "PASS unimplemented_service")
            #expect(output[2].hasPrefix("FAIL bogus: unknown test case"))
            #expect(output[3] == "1 passed, 2 failed")
        }
    }
}
