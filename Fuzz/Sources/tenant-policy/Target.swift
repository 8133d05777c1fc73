import FuzzSupport
import Policy

/// A tenant's policy.yaml (`TenantPolicy.parse(yaml:)`); input: the file's bytes
/// (Fuzz/Corpus/tenant-policy). A file that loads is also asked what the service asks of a
/// policy: the confidence threshold of every intent.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    do {
        let policy = try TenantPolicy.parse(yaml: text(inputBytes(data, size)))
        for intent in policy.intentThresholds.keys {
            let threshold = policy.threshold(for: intent)
            guard threshold.isFinite, (0...1).contains(threshold) else {
                fatalError("policy threshold \(threshold) for \(intent) is outside 0...1")
            }
        }
    } catch {
        _ = error.description
    }
    return 0
}
