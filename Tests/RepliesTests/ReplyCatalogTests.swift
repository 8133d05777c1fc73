import Testing
@testable import Replies

@Suite struct ReplyCatalogTests {
    @Test func vocabularyIsComplete() {
        #expect(ReplyCatalog.intents.count == 23)
        #expect(ReplyCatalog.intents == ReplyCatalog.intents.sorted())
        #expect(ReplyCatalog.intentSet.count == 23)
        #expect(ReplyCatalog.languages.count == 18)
        #expect(Set(ReplyCatalog.languages).count == 18)
        #expect(ReplyCatalog.knownVariables == ReplyCatalog.knownVariables.sorted())
    }

    @Test func languageCodes() {
        #expect(ReplyCatalog.isLanguageCode("es"))
        #expect(!ReplyCatalog.isLanguageCode("ES"))
        #expect(!ReplyCatalog.isLanguageCode("esp"))
        #expect(!ReplyCatalog.isLanguageCode(""))
        #expect(!ReplyCatalog.isLanguageCode("é"))
        #expect(ReplyCatalog.languageCode(of: "es-MX") == "es")
        #expect(ReplyCatalog.languageCode(of: "PT_br") == "pt")
        #expect(ReplyCatalog.languageCode(of: "und") == nil)
        #expect(ReplyCatalog.languageCode(of: "") == nil)
    }
}
