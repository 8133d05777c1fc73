internal import ArgumentParser
internal import Messages
internal import Posix

/// `intentctl stream [FILE|-]`: a ReplyIntent/StreamConversations session from JSON lines.
struct StreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Send buyer messages, corrections and subscriptions from JSON lines on one StreamConversations call.",
        discussion: """
            Each input line is {"message": {...}}, {"correction": {...}}, {"subscribe": {...}}, or a bare BuyerMessage \
            such as {"message_id": "m1", "text": "where is my order?", "platform": "shopee"} (proto field names; a \
            message without message_id gets "line-N"). Every response is printed as one JSON line as it arrives \
            ({"classification": ...}, {"alert": ...}, {"gap": ...}, {"subscribed": ...}, {"correction_recorded": ...}, \
            {"error": ...}). A bad line is reported on stderr with its number and skipped (exit status 65 at the end). \
            Without --subscribe the input is sent, the call half-closed, and the command exits when the server ends \
            the stream. With --subscribe a subscription is sent first and alerts are printed until Ctrl-C, \
            --max-alerts or --for; FILE is then optional (nothing is read without it). A {"subscribe": ...} input line \
            keeps the stream open the same way.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var call: CallOptions

    @Argument(help: ArgumentHelp("JSONL input file, '-' for stdin (default: stdin, or none with --subscribe).", valueName: "file"))
    var file: String?

    @Flag(help: "Subscribe to the tenant's alerts first, and keep printing them.")
    var subscribe = false

    @Option(
        name: .customLong("min-priority"),
        help: ArgumentHelp("Only alerts at or above this priority: high (default) or urgent (also low, normal).", valueName: "priority"))
    var minPriority: String?

    @Option(
        name: .customLong("resume-after"),
        help: ArgumentHelp("The last alert sequence number seen: later buffered alerts come first.", valueName: "sequence"))
    var resumeAfter: UInt64?

    @Option(name: .customLong("max-alerts"), help: ArgumentHelp("Stop after this many alerts.", valueName: "n"))
    var maxAlerts: Int?

    @Option(name: .customLong("for"), help: ArgumentHelp("Stop after this many seconds (the call is cancelled; exit status 0).", valueName: "seconds"))
    var seconds: Double?

    /// sysexits' EX_DATAERR: the call went fine but some input lines were skipped.
    static let skippedLinesExitCode = ExitCode(65)

    func validate() throws {
        if !subscribe {
            // --max-alerts and --for also serve a subscription sent as an input line.
            for (flag, given) in [("--min-priority", minPriority != nil), ("--resume-after", resumeAfter != nil)] where given {
                throw ValidationError("\(flag) needs --subscribe")
            }
        }
        if let minPriority, EnumNames.priority(minPriority) == nil {
            throw ValidationError("--min-priority '\(minPriority)' is not a priority: use \(EnumNames.priorityChoices)")
        }
        if let maxAlerts, maxAlerts < 1 { throw ValidationError("--max-alerts must be at least 1, got \(maxAlerts)") }
        if let seconds, !(seconds > 0 && seconds <= 31_536_000) {
            throw ValidationError("--for must be more than 0 seconds (and at most a year), got \(seconds)")
        }
    }

    /// The input to read: the file argument, stdin without --subscribe, nothing with it.
    var inputPath: String? { file ?? (subscribe ? nil : "-") }

    var session: StreamSession {
        StreamSession(
            subscription: subscribe
                ? AlertSubscription(
                    minPriority: minPriority.flatMap(EnumNames.priority) ?? .unspecified, resumeAfterSequence: resumeAfter ?? 0)
                : nil,
            maxAlerts: maxAlerts,
            duration: seconds.map { .milliseconds(Int64(($0 * 1000).rounded(.up))) },
            output: { Output.line($0) },
            report: { Output.error($0) })
    }

    func run() async throws {
        let metadata = try call.metadata()
        let source: LineSource?
        do {
            source = try inputPath.map(LineSource.init(path:))
        } catch {
            throw ValidationError("\(error)")
        }
        let session = self.session
        try await CommandFailure.run(connection: connection) { channel in
            let client = ReplyIntentClient(
                channel: channel, metadata: metadata, timeout: nil, streamTimeout: call.timeout(default: nil))
            let outcome = await session.run(client.streamConversations(), input: source?.start())
            if let failure = outcome.failure { throw failure }
            if outcome.skippedLines > 0 {
                Output.error("intentctl: \(outcome.skippedLines) input line\(outcome.skippedLines == 1 ? "" : "s") skipped")
                throw Self.skippedLinesExitCode
            }
        }
    }
}
