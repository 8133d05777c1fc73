/// Which language a reply was written in, and why (= proto ReplyLanguageSource).
public enum ReplyLanguageSource: Sendable, Equatable {
    /// The buyer's language had a template.
    case buyer
    /// The buyer's language had none; the tenant's default language did.
    case tenantDefault
    /// Neither had one; English was used.
    case english
}

public struct RenderedReply: Sendable, Equatable {
    public let text: String
    /// The two-letter code of the template's language.
    public let language: String
    public let source: ReplyLanguageSource
    /// "<owner>/<language>/<intent>".
    public let templateID: String
    /// Variables the template uses that were not given or given as "", sorted.
    public let missingVariables: [String]

    public init(text: String, language: String, source: ReplyLanguageSource, templateID: String, missingVariables: [String]) {
        self.text = text
        self.language = language
        self.source = source
        self.templateID = templateID
        self.missingVariables = missingVariables
    }
}

/// Bundled defaults + one tenant's overrides, immutable. Safe to share across threads and to call
/// inline on an event loop: composing is two dictionary lookups per language tried plus one render
/// of a pre-parsed template.
public struct ReplyComposer: Sendable {
    public let defaults: TemplateSet
    public let tenant: TemplateSet?

    public init(defaults: TemplateSet, tenant: TemplateSet?) {
        self.defaults = defaults
        self.tenant = tenant
    }

    /// The template used for `intent` in exactly `language` (tenant's first, then bundled), no fallback.
    public func template(intent: String, language: String) -> ReplyTemplate? {
        tenant?.template(language: language, intent: intent) ?? defaults.template(language: language, intent: intent)
    }

    /// Fallback: buyer language, then tenantDefaultLanguage, then "en"; per language the tenant's
    /// template wins over the bundled one. Language tags like "es-MX" or "ES" are reduced to their
    /// two-letter code. nil only when no template exists for `intent` in any of the three.
    public func compose(intent: String, buyerLanguage: String, tenantDefaultLanguage: String, variables: [String: String])
        -> RenderedReply?
    {
        guard let (template, source) = select(intent: intent, buyerLanguage: buyerLanguage,
            tenantDefaultLanguage: tenantDefaultLanguage)
        else { return nil }
        return RenderedReply(
            text: template.render(variables), language: template.language, source: source, templateID: template.id,
            missingVariables: template.missingVariables(in: variables))
    }

    /// The template compose would use, and why, without rendering.
    public func select(intent: String, buyerLanguage: String, tenantDefaultLanguage: String)
        -> (template: ReplyTemplate, source: ReplyLanguageSource)?
    {
        if let code = ReplyCatalog.languageCode(of: buyerLanguage), let found = template(intent: intent, language: code) {
            return (found, .buyer)
        }
        if let code = ReplyCatalog.languageCode(of: tenantDefaultLanguage),
            let found = template(intent: intent, language: code)
        {
            return (found, .tenantDefault)
        }
        if let found = template(intent: intent, language: "en") {
            return (found, .english)
        }
        return nil
    }
}
