internal import ArgumentParser
internal import Messages
internal import Posix

/// `intentctl models list|reload`: the admin RPCs (ReplyIntentAdmin).
struct Models: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List or reload a ReplyIntent server's models (admin credentials).",
        subcommands: [List.self, Reload.self])

    /// `intentctl models list [--tenant T] [--json]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the models the server knows, loaded or not (ReplyIntentAdmin/ListModels).",
            discussion: """
                A table: tenant ('(shared)' for the shared default model), name, version, state (loaded, evicted, \
                failed), size in MiB, when it was loaded (UTC), how long loading took, and the last load error; then \
                the cache's memory use. With --json one JSON object (proto field names).
                """)

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var call: CallOptions

        @Option(help: "Only this tenant's models.")
        var tenant: String?

        @Flag(help: "Print the answer as one JSON object.")
        var json = false

        func run() async throws {
            let metadata = try call.metadata()
            let request = ListModelsRequest(tenant: tenant ?? "")
            try await CommandFailure.run(connection: connection) { channel in
                let client = ReplyIntentClient(
                    channel: channel, metadata: metadata, timeout: call.timeout(default: .seconds(30)), streamTimeout: nil)
                let response = try await client.listModels(request)
                for line in Self.render(response, json: json) { Output.line(line) }
            }
        }

        static func render(_ response: ListModelsResponse, json: Bool) -> [String] {
            if json { return [MessageJSON.listModelsResponse(response).serialized] }
            return ModelTable.lines(response.models)
                + [ModelTable.memoryLine(used: response.memoryUsedBytes, budget: response.memoryBudgetBytes)]
        }
    }

    /// `intentctl models reload [--json]`.
    struct Reload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rescan the models now, as SIGHUP does (ReplyIntentAdmin/ReloadModels).",
            discussion: """
                Prints what changed ('loaded acme/support-v2 2026.11.20+9f3a02c1', 'kept ...: why'), or 'no changes', \
                then the models table. With --json one JSON object (proto field names).
                """)

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var call: CallOptions

        @Flag(help: "Print the answer as one JSON object.")
        var json = false

        func run() async throws {
            let metadata = try call.metadata()
            try await CommandFailure.run(connection: connection) { channel in
                // A rescan loads every changed file: give it longer than a classification.
                let client = ReplyIntentClient(
                    channel: channel, metadata: metadata, timeout: call.timeout(default: .seconds(120)), streamTimeout: nil)
                let response = try await client.reloadModels()
                for line in Self.render(response, json: json) { Output.line(line) }
            }
        }

        static func render(_ response: ReloadModelsResponse, json: Bool) -> [String] {
            if json { return [MessageJSON.reloadModelsResponse(response).serialized] }
            let changes = response.changes.isEmpty ? ["no changes"] : response.changes
            return changes + [""] + ModelTable.lines(response.models)
        }
    }
}
