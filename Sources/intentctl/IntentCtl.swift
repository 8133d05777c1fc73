internal import ArgumentParser

/// `intentctl`: the command-line client. One subcommand per file under `Subcommands/`;
/// add new ones to `subcommands` below.
@main
struct IntentCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intentctl",
        abstract: "ReplyIntent's command-line tool: call any gRPC server, and train, evaluate and run the classifier.",
        subcommands: [
            InteropCommand.self,
            HealthCommand.self,
            Train.self,
            Eval.self,
            Predict.self,
            Classify.self,
            Suggest.self,
            StreamCommand.self,
            Models.self,
            TokenCommand.self,
        ])

    /// Parses the arguments after normalising boolean flags written the gRPC interop way
    /// (`--use_tls=true`, `--use_tls=false`), then runs the chosen subcommand.
    static func main() async {
        let arguments = BooleanFlagSpelling.normalize(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
