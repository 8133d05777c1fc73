internal import Messages

// Messages and Classifier both have a `RiskHit`; files that import both use these names for the
// protobuf ones (this file imports only Messages, so the names are unambiguous here).
typealias ProtoRiskHit = RiskHit
