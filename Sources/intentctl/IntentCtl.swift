import ArgumentParser

@main
struct IntentCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intentctl",
        abstract: "ReplyIntent command-line tool: train, evaluate and run the message classifier.",
        subcommands: [Train.self, Eval.self, Predict.self])
}
