/// What a lexicon term signals. The raw values are stable identifiers (they appear in the model
/// file, the API and the docs): `threat.*` for what a buyer threatens to do, `risk.*` for words
/// that accuse the seller or the goods.
public enum RiskCategory: String, Sendable, CaseIterable, Hashable {
    /// A bad or one-star review ("1 star", "差评", "bintang 1", "mauvais avis").
    case badReview = "threat.bad_review"
    /// Asking the bank or card issuer to reverse the payment ("chargeback", "contracargo", "拒付").
    case chargeback = "threat.chargeback"
    /// A dispute or claim with the marketplace or payment provider ("open a dispute", "litige").
    case dispute = "threat.dispute"
    /// The police ("police", "polisi", "ตำรวจ", "报警").
    case police = "threat.police"
    /// A lawyer or court ("lawyer", "abogado", "弁護士", "sue you").
    case lawyer = "threat.lawyer"
    /// A consumer-protection agency ("Procon", "PROFECO", "12315", "消費者センター").
    case consumerAgency = "threat.consumer_agency"
    /// Reporting the shop to the platform ("report to shopee", "lapor ke shopee", "ร้องเรียน", "投诉").
    case reportPlatform = "threat.report_platform"
    /// Shaming the shop in public: social media, a viral video ("viralin", "曝光", "bóc phốt", "expose you").
    case publicExposure = "threat.public_exposure"
    /// Calling the seller a scammer ("scam", "estafa", "penipu", "lừa đảo", "โกง", "诈骗").
    case scam = "risk.scam"
    /// Fraud ("fraud", "fraude", "betrug", "欺诈").
    case fraud = "risk.fraud"
    /// Fake / not genuine goods ("fake", "falso", "palsu", "偽物").
    case fake = "risk.fake"
    /// Counterfeit or replica goods ("counterfeit", "réplica", "假货", "짝퉁").
    case counterfeit = "risk.counterfeit"

    /// True for `threat.*` categories, false for `risk.*`.
    public var isThreat: Bool { rawValue.hasPrefix("threat.") }
}
