@testable import AppendLog
import Testing

struct RotatedFileNamesTests {
    @Test func generationsGoBeforeTheExtension() {
        let names = RotatedFileNames(path: "/t/acme/corrections.jsonl")
        #expect(names.directory == "/t/acme")
        #expect(names.rotated(1) == "/t/acme/corrections.1.jsonl")
        #expect(names.rotated(12) == "/t/acme/corrections.12.jsonl")
    }

    @Test func namesWithoutAnExtensionOrDirectory() {
        #expect(RotatedFileNames(path: "log").rotated(2) == "log.2")
        #expect(RotatedFileNames(path: "log").directory == ".")
        #expect(RotatedFileNames(path: "/var/x.d/.hidden").rotated(1) == "/var/x.d/.hidden.1")
        #expect(RotatedFileNames(path: "/top.log").directory == "/")
    }
}
