import Foundation
import Testing
@testable import Replies

@Suite struct TemplateSetTests {
    @Test func loadsEveryLanguageFileAndIgnoresHiddenTemporaryAndOtherFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("en.yaml", "language: en\ntemplates:\n  greeting: Hi {{buyer_name}}\n  thanks_goodbye: Bye\n")
        try directory.write("es.yaml", "templates:\n  greeting: Hola\n")
        try directory.write(".fr.yaml", "broken: [")
        try directory.write("fr.yaml.tmp", "broken: [")
        try directory.write("README.md", "not a template")
        let set = try TemplateSet.load(directory: directory.path, owner: "acme")
        #expect(set.owner == "acme")
        #expect(set.languages == ["en", "es"])
        #expect(set.intents(language: "en") == ["greeting", "thanks_goodbye"])
        #expect(set.count == 3)
        let greeting = try #require(set.template(language: "en", intent: "greeting"))
        #expect(greeting.id == "acme/en/greeting")
        #expect(greeting.variables == ["buyer_name"])
        #expect(set.template(language: "es", intent: "thanks_goodbye") == nil)
        #expect(set.template(language: "de", intent: "greeting") == nil)
        #expect(set.state?.entries.map(\.name) == ["en.yaml", "es.yaml"])
    }

    @Test func fileNamesMustBeTwoLetterLanguageCodes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("en.yaml", "templates:\n  greeting: Hi\n")
        try directory.write("english.yaml", "templates:\n  greeting: Hi\n")
        let error = try #require(throws: TemplateError.self) {
            try TemplateSet.load(directory: directory.path, owner: "acme")
        }
        #expect(error.file == directory.path + "/english.yaml")
        #expect(error.problem.contains("two-letter"))
    }

    @Test func errorsNameTheFileAndTheIntent() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("de.yaml", "templates:\n  greeting: Hallo\n  refund_status: \"{{#eta}}\"\n")
        let error = try #require(throws: TemplateError.self) {
            try TemplateSet.load(directory: directory.path, owner: "acme")
        }
        #expect(error.file == directory.path + "/de.yaml")
        #expect(error.intent == "refund_status")
        #expect(error.line == 3)
        #expect(error.description.hasPrefix(directory.path + "/de.yaml:3: template 'refund_status': "))
    }

    @Test func missingDirectoryIsAnError() {
        #expect(throws: TemplateError.self) {
            try TemplateSet.load(directory: "/nonexistent/replies-tests/templates", owner: "acme")
        }
        #expect(TemplateDirectoryState.scan(directory: "/nonexistent/replies-tests/templates").exists == false)
    }

    @Test func emptyDirectoryGivesAnEmptySet() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let set = try TemplateSet.load(directory: directory.path, owner: "acme")
        #expect(set.count == 0)
        #expect(set.state?.exists == true)
        #expect(set.hasChangedOnDisk() == false)
    }

    @Test func inMemorySetsNeverReportChanges() throws {
        #expect(TemplateSet.empty(owner: "x").hasChangedOnDisk() == false)
        #expect(TemplateSet.empty(owner: "x").state == nil)
    }
}
