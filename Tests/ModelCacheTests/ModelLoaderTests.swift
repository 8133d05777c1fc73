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
            let missing = load(key, sandbox.root + "/missing.rimodel")
            guard case .failed(let message, nil) = missing else {
                Issue.record("expected a failure without a file status, got \(missing)")
                return
            }
            #expect(message.contains("no such file"))

            let directory = load(key, sandbox.tenants)
            guard case .failed(let notFile, let status?) = directory else {
                Issue.record("expected a failure with a file status, got \(directory)")
                return
            }
            #expect(notFile.contains("not a regular file"))
            #expect(status.type == .directory)

            let loaded = load(key, sandbox.defaultPath)
            guard case .loaded(let snapshot, let seen) = loaded else {
                Issue.record("expected the model to load, got \(loaded)")
                return
            }
            #expect(snapshot.key == key)
            #expect(snapshot.version == Fixtures.expectedVersion(Sandbox.sharedVersion))
            #expect(snapshot.sizeBytes == seen.size)
        }

        @Test func aFileLargerThanTheLimitIsRefusedAndOneAtTheLimitLoads() throws {
            let sandbox = try Sandbox()
            let key = ModelKey.sharedDefault
            let size = Fixtures.bytes(version: Sandbox.sharedVersion).count
            let refused = load(key, sandbox.defaultPath, maxBytes: size - 1)
            guard case .failed(let message, let status?) = refused else {
                Issue.record("expected a refusal with the file's status, got \(refused)")
                return
            }
            #expect(message.contains("\(size) bytes"))
            #expect(message.contains("larger than the limit of \(ModelLoader.mebibytes(size - 1))"))
            #expect(message.contains("models.max_file_size_mb"))
            #expect(status.size == size)
            guard case .loaded = load(key, sandbox.defaultPath, maxBytes: size) else {
                Issue.record("a file exactly at the limit must load")
                return
            }
        }

        @Test func sizesAreWrittenInMebibytes() {
            #expect(ModelLoader.mebibytes(256 << 20) == "256 MiB")
            #expect(ModelLoader.mebibytes(300 << 20) == "300 MiB")
            #expect(ModelLoader.mebibytes((1 << 20) + (1 << 19)) == "1.5 MiB")
            #expect(ModelLoader.mebibytes((2 << 20) - 1) == "2.0 MiB")
            #expect(ModelLoader.mebibytes(Int.max).hasSuffix(" MiB"))  // no overflow on a huge sparse file
        }

        private func load(_ key: ModelKey, _ path: String, maxBytes: Int = 256 << 20) -> LoadOutcome {
            ModelLoader.load(key: key, path: path, from: .operatorPath, maxBytes: maxBytes, probeText: "hi")
        }
    }
}
