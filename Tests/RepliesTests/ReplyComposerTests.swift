import Testing
@testable import Replies

@Suite struct ReplyComposerTests {
    let defaults: TemplateSet
    let tenant: TemplateSet

    init() throws {
        defaults = try makeSet(owner: "default", [
            "en": ["order_status": "Order {{order_id}} is on its way.", "greeting": "Hello!"],
            "es": ["order_status": "El pedido {{order_id}} va en camino."],
            "fr": ["order_status": "La commande {{order_id}} est en route.", "greeting": "Bonjour !"],
        ])
        tenant = try makeSet(owner: "acme", [
            "es": ["order_status": "¡{{shop_name}}: tu pedido {{order_id}} ya salió!"],
            "de": ["greeting": "Hallo von {{shop_name}}!"],
        ])
    }

    @Test func buyerLanguageFromTheBundledTemplates() throws {
        let composer = ReplyComposer(defaults: defaults, tenant: nil)
        let reply = try #require(
            composer.compose(intent: "order_status", buyerLanguage: "fr", tenantDefaultLanguage: "es",
                variables: ["order_id": "A7"]))
        #expect(reply == RenderedReply(
            text: "La commande A7 est en route.", language: "fr", source: .buyer,
            templateID: "default/fr/order_status", missingVariables: []))
    }

    @Test func tenantTemplateWinsOverTheBundledOneInTheSameLanguage() throws {
        let composer = ReplyComposer(defaults: defaults, tenant: tenant)
        let reply = try #require(
            composer.compose(intent: "order_status", buyerLanguage: "es", tenantDefaultLanguage: "en",
                variables: ["order_id": "A7"]))
        #expect(reply.text == "¡: tu pedido A7 ya salió!")
        #expect(reply.templateID == "acme/es/order_status")
        #expect(reply.source == .buyer)
        #expect(reply.missingVariables == ["shop_name"])
        // Intents the tenant does not override still come from the bundled set.
        let french = try #require(
            composer.compose(intent: "order_status", buyerLanguage: "fr", tenantDefaultLanguage: "en", variables: [:]))
        #expect(french.templateID == "default/fr/order_status")
        #expect(french.missingVariables == ["order_id"])
    }

    @Test func fallsBackToTheTenantDefaultLanguage() throws {
        let composer = ReplyComposer(defaults: defaults, tenant: tenant)
        let reply = try #require(
            composer.compose(intent: "order_status", buyerLanguage: "ja", tenantDefaultLanguage: "es",
                variables: ["order_id": "9", "shop_name": "Acme"]))
        #expect(reply.text == "¡Acme: tu pedido 9 ya salió!")
        #expect(reply.language == "es")
        #expect(reply.source == .tenantDefault)
        #expect(reply.templateID == "acme/es/order_status")
    }

    @Test func tenantOnlyLanguageCountsAsHavingATemplate() throws {
        let composer = ReplyComposer(defaults: defaults, tenant: tenant)
        let reply = try #require(
            composer.compose(intent: "greeting", buyerLanguage: "ja", tenantDefaultLanguage: "de",
                variables: ["shop_name": "Acme"]))
        #expect(reply.text == "Hallo von Acme!")
        #expect(reply.source == .tenantDefault)
        #expect(reply.templateID == "acme/de/greeting")
    }

    @Test func fallsBackToEnglish() throws {
        let composer = ReplyComposer(defaults: defaults, tenant: tenant)
        let reply = try #require(
            composer.compose(intent: "greeting", buyerLanguage: "ja", tenantDefaultLanguage: "es", variables: [:]))
        #expect(reply == RenderedReply(
            text: "Hello!", language: "en", source: .english, templateID: "default/en/greeting", missingVariables: []))
        // An undetermined buyer language ("" or "und") also falls through.
        for buyer in ["", "und", "x"] {
            let fallback = composer.compose(intent: "greeting", buyerLanguage: buyer, tenantDefaultLanguage: "", variables: [:])
            #expect(fallback?.source == .english)
        }
    }

    @Test func nilOnlyWhenNoTemplateExistsAnywhere() {
        let composer = ReplyComposer(defaults: defaults, tenant: tenant)
        #expect(composer.compose(intent: "invoice", buyerLanguage: "es", tenantDefaultLanguage: "fr", variables: [:]) == nil)
        // A template in a fourth language (not buyer, default or English) is not used.
        #expect(composer.compose(intent: "greeting", buyerLanguage: "ja", tenantDefaultLanguage: "ko", variables: [:])?
            .templateID == "default/en/greeting")
        let germanOnly = ReplyComposer(defaults: TemplateSet.empty(owner: "default"), tenant: tenant)
        #expect(germanOnly.compose(intent: "greeting", buyerLanguage: "fr", tenantDefaultLanguage: "es", variables: [:]) == nil)
    }

    @Test func languageTagsAreReducedToTheirCode() throws {
        let composer = ReplyComposer(defaults: defaults, tenant: nil)
        #expect(composer.compose(intent: "greeting", buyerLanguage: "fr-CA", tenantDefaultLanguage: "en", variables: [:])?
            .templateID == "default/fr/greeting")
        #expect(composer.compose(intent: "greeting", buyerLanguage: "FR", tenantDefaultLanguage: "en", variables: [:])?
            .source == .buyer)
        #expect(composer.compose(intent: "greeting", buyerLanguage: "ja", tenantDefaultLanguage: "fr_FR", variables: [:])?
            .source == .tenantDefault)
    }

    @Test func emptyValuesAreMissingAndValuesAreVerbatim() throws {
        let composer = ReplyComposer(defaults: defaults, tenant: tenant)
        let reply = try #require(
            composer.compose(intent: "order_status", buyerLanguage: "es", tenantDefaultLanguage: "en",
                variables: ["order_id": "<b>&\"1\"</b>", "shop_name": ""]))
        #expect(reply.text == "¡: tu pedido <b>&\"1\"</b> ya salió!")
        #expect(reply.missingVariables == ["shop_name"])
    }
}
