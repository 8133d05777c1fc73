import Foundation
@testable import Replies

/// A fresh temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "replies-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path + "/" + name, atomically: false, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Builds a template set in memory from `[language: [intent: text]]`.
func makeSet(owner: String, _ texts: [String: [String: String]]) throws -> TemplateSet {
    var templates: [String: [String: ReplyTemplate]] = [:]
    for (language, byIntent) in texts {
        for (intent, text) in byIntent {
            templates[language, default: [:]][intent] = try ReplyTemplate(
                owner: owner, language: language, intent: intent, text: text)
        }
    }
    return TemplateSet(owner: owner, templates: templates)
}

func makeTemplate(_ text: String, intent: String = "order_status") throws -> ReplyTemplate {
    try ReplyTemplate(owner: "default", language: "en", intent: intent, text: text)
}
