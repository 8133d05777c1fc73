import Foundation
import Mustache
import Replies

/// bench-replies <templates directory> <passes>: renders every bundled template `passes` times
/// with each value set, with our renderer and with swift-mustache (plain-text mode, empty values
/// hidden as our renderer does), best of 3 runs each, single thread, as SuggestReply renders.
let arguments = CommandLine.arguments
guard arguments.count == 3, let passes = Int(arguments[2]), passes > 0 else {
    FileHandle.standardError.write(Data("usage: bench-replies <templates directory> <passes>\n".utf8))
    exit(2)
}
let set = try TemplateSet.load(directory: arguments[1], owner: ReplyCatalog.bundledOwner)
let templates = set.languages.flatMap { language in
    set.intents(language: language).map { set.template(language: language, intent: $0)! }
}

/// What a SuggestReply request typically carries: some variables, one of them empty.
let valueSets: [[String: String]] = [
    ["buyer_name": "Ana", "order_id": "A-10293", "eta": "Monday", "tracking_url": "https://t.example/A-10293"],
    ["order_id": "A-10293", "shop_name": "", "refund_amount": "12.50 EUR", "return_address": "1 Main St"],
    [:],
]

/// The context swift-mustache needs to render as ours does: empty values hidden (missing), and a
/// value with no children, so that names inside a section find the outer values.
struct RenderValues: MustacheParent {
    let values: [String: String]
    func child(named name: String) -> Any? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return RenderValue(text: value)
    }
}
struct RenderValue: MustacheParent, MustacheCustomRenderable {
    let text: String
    var renderText: String { text }
    var isNull: Bool { false }
    func child(named name: String) -> Any? { nil }
}

let mustache = try templates.map { try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}\n" + $0.source) }
let contexts = valueSets.map(RenderValues.init)
let renders = passes * templates.count * valueSets.count

var differences = 0
for (template, reference) in zip(templates, mustache) {
    for (values, context) in zip(valueSets, contexts) where template.render(values) != reference.render(context) {
        differences += 1
    }
}

/// Best of 3 runs of `body`, in nanoseconds per render.
func measure(renders: Int, _ body: () -> Int) -> (nanoseconds: Double, bytes: Int) {
    var best = Double.infinity
    var bytes = 0
    for _ in 0..<3 {
        let start = ContinuousClock.now
        bytes = body()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        best = min(best, seconds * 1e9 / Double(renders))
    }
    return (best, bytes)
}

let ours = measure(renders: renders) {
    var bytes = 0
    for _ in 0..<passes {
        for template in templates {
            for values in valueSets { bytes &+= template.render(values).utf8.count }
        }
    }
    return bytes
}
let theirs = measure(renders: renders) {
    var bytes = 0
    for _ in 0..<passes {
        for reference in mustache {
            for context in contexts { bytes &+= reference.render(context).utf8.count }
        }
    }
    return bytes
}

print("templates: \(templates.count), value sets: \(valueSets.count), renders per run: \(renders) (best of 3)")
print("outputs that differ: \(differences) of \(templates.count * valueSets.count)")
for (name, result) in [("ReplyTemplate ", ours), ("swift-mustache", theirs)] {
    print(name + String(format: " %8.0f ns/render %10.0f renders/s", result.nanoseconds, 1e9 / result.nanoseconds))
}
print(String(format: "ratio: swift-mustache takes %.1fx as long", theirs.nanoseconds / ours.nanoseconds))
if ours.bytes != theirs.bytes { print("output bytes differ: \(ours.bytes) vs \(theirs.bytes)") }
