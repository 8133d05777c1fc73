import Classifier
import Foundation
import Posix
import Testing

@testable import ModelCache

extension ModelCacheTests {
    @Suite struct Loader {
        @Test func versionIsMetaVersionPlusTheStoredChecksum() {
            // CRC-32 0xCBF43926 stored little-endian in the last 4 bytes.
            #expect(ModelLoader.crcHex(of: [0xAA, 0x26, 0x39, 0xF4, 0xCB]) == "cbf43926")
            #expect(ModelLoader.crcHex(of: [0x01, 0x00, 0x00, 0x00]) == "00000001")
        }

        @Test func theRealModelPassesItsProbe() throws {
            #expect(ModelLoader.probeProblem(Fixtures.base, probeText: "where is my order?") == nil)
            #expect(ModelLoader.probeProblem(Fixtures.base, probeText: "") == nil)
        }

        @Test func failuresSayWhatIsWrongWithTheFile() throws {
            let sandbox = try Sandbox()
            let key = ModelKey(tenant: "acme", name: "default")
            let missing = ModelLoader.load(key: key, path: sandbox.root + "/missing.rimodel", probeText: "hi")
            guard case .failed(let message, nil) = missing else {
                Issue.record("expected a failure without a file status, got \(missing)")
                return
            }
            #expect(message.contains("no such file"))

            let directory = ModelLoader.load(key: key, path: sandbox.tenants, probeText: "hi")
            guard case .failed(let notFile, let status?) = directory else {
                Issue.record("expected a failure with a file status, got \(directory)")
                return
            }
            #expect(notFile.contains("not a regular file"))
            #expect(status.type == .directory)

            let loaded = ModelLoader.load(key: key, path: sandbox.defaultPath, probeText: "hi")
            guard case .loaded(let snapshot, let seen) = loaded else {
                Issue.record("expected the model to load, got \(loaded)")
                return
            }
            #expect(snapshot.key == key)
            #expect(snapshot.version == Fixtures.expectedVersion(Sandbox.sharedVersion))
            #expect(snapshot.sizeBytes == seen.size)
        }
    }
}
