import FuzzSupport
import Tenancy

/// The tokens file (`TokenFile.parse(yaml:)`); input: the file's bytes (Fuzz/Corpus/tokens).
/// A file that loads is turned into an `Authenticator`, as the server does.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    do {
        let file = try TokenFile.parse(yaml: text(inputBytes(data, size)))
        _ = file.tenants
    } catch {
        _ = error.description
    }
    return 0
}
