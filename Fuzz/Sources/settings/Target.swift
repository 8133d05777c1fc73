import FuzzSupport
@testable import ReplyIntentServer

/// intentd's configuration file, as `ReplyIntentApplication` takes it: `ServerSettings.apply(yaml:)`
/// over the defaults, `problem` (the combination check), then the conversion to the transport's
/// `ServerConfiguration`. Input: the file's bytes (Fuzz/Corpus/settings).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var settings = ServerSettings()
    do {
        try settings.apply(yaml: text(inputBytes(data, size)))
    } catch {
        _ = error.description
        return 0
    }
    guard settings.problem == nil else { return 0 }
    // The TLS files named in the input are not read (the target reads no files).
    settings.certificatePath = nil
    settings.privateKeyPath = nil
    settings.clientCAPath = nil
    settings.tlsPort = nil
    settings.requireClientCertificate = false
    _ = try? ReplyIntentApplication.transportConfiguration(settings)
    return 0
}
