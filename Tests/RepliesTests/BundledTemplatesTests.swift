import Foundation
import Testing
@testable import Replies

/// The repository's Templates/ directory: every intent in every supported language, parsing,
/// rendering and using only the documented variables.
@Suite struct BundledTemplatesTests {
    static let directory: String = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Templates").path

    let set: TemplateSet

    init() throws {
        set = try TemplateSet.load(directory: Self.directory, owner: ReplyCatalog.bundledOwner)
    }

    @Test func everyLanguageHasATemplateForEveryIntent() {
        #expect(set.languages == ReplyCatalog.languages.sorted())
        for language in ReplyCatalog.languages {
            #expect(set.intents(language: language) == ReplyCatalog.intents, "language \(language)")
        }
        #expect(set.count == ReplyCatalog.languages.count * ReplyCatalog.intents.count)
    }

    @Test func templatesUseOnlyTheKnownVariables() {
        let known = Set(ReplyCatalog.knownVariables)
        for language in ReplyCatalog.languages {
            for intent in ReplyCatalog.intents {
                guard let template = set.template(language: language, intent: intent) else { continue }
                let unknown = template.variables.filter { !known.contains($0) }
                #expect(unknown.isEmpty, "\(template.id) uses unknown variables \(unknown)")
            }
        }
    }

    @Test func everyTemplateRendersWithAndWithoutValues() {
        let markers = Dictionary(uniqueKeysWithValues: ReplyCatalog.knownVariables.map { ($0, "<\($0)&'\"value>") })
        for language in ReplyCatalog.languages {
            for intent in ReplyCatalog.intents {
                guard let template = set.template(language: language, intent: intent) else { continue }
                #expect(template.id == "default/\(language)/\(intent)")
                let full = template.render(markers)
                let bare = template.render([:])
                #expect(!full.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(template.id)")
                #expect(!bare.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(template.id)")
                #expect(!full.contains("{{") && !full.contains("}}"), "\(template.id): \(full)")
                #expect(template.missingVariables(in: markers).isEmpty)
                #expect(template.missingVariables(in: [:]) == template.requiredVariables)
                // A variable written as {{name}} shows its value verbatim when given.
                for name in template.variables where template.source.contains("{{\(name)}}") {
                    #expect(full.contains(markers[name]!), "\(template.id) does not show \(name)")
                }
                // An optional variable's section shows exactly when its value is given.
                for name in template.variables where !template.requiredVariables.contains(name) {
                    var without = markers
                    without[name] = ""
                    #expect(!template.render(without).contains(markers[name]!), "\(template.id) shows \(name) without it")
                }
                #expect(TemplateInvariants.violations(template).isEmpty, "\(template.id)")
            }
        }
    }

    /// Whether a reply can be sent automatically must not depend on the buyer's language: an
    /// intent needs the same variables in every language.
    @Test func everyLanguageRequiresTheSameVariablesForAnIntent() throws {
        for intent in ReplyCatalog.intents {
            let english = try #require(set.template(language: "en", intent: intent))
            for language in ReplyCatalog.languages {
                guard let template = set.template(language: language, intent: intent) else { continue }
                #expect(
                    template.requiredVariables == english.requiredVariables,
                    "\(template.id) requires \(template.requiredVariables), en requires \(english.requiredVariables)")
            }
        }
    }

    @Test func buyerLanguageIsUsedForEveryLanguageAndIntent() throws {
        let composer = ReplyComposer(defaults: set, tenant: nil)
        for language in ReplyCatalog.languages {
            for intent in ReplyCatalog.intents {
                let reply = try #require(
                    composer.compose(intent: intent, buyerLanguage: language, tenantDefaultLanguage: "en", variables: [:]))
                #expect(reply.source == .buyer)
                #expect(reply.language == language)
                #expect(reply.templateID == "default/\(language)/\(intent)")
            }
        }
    }
}
