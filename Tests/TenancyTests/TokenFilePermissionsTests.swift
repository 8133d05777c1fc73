import Foundation
import Posix
import Testing
import Tenancy

/// Who may change the tokens file: checked on every load (``TokenFile/load(path:)``) on the
/// opened file, and by ``TokenFilePermissions/check(_:path:serverUserID:)`` for any owner.
@Suite struct TokenFilePermissionsTests {
    static let yaml = "tokens:\n  - {tenant: acme, sha256: \(String(repeating: "ab", count: 32))}\n"

    /// A tokens file with `mode` in a fresh directory; the caller removes the directory.
    static func makeFile(mode: Int, text: String = yaml) throws -> (directory: String, path: String) {
        let directory = NSTemporaryDirectory() + "tokenperm-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/tokens.yaml"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return (directory, path)
    }

    static func status(mode: UInt32, owner: UInt32, type: FileStatus.FileType = .regular) -> FileStatus {
        FileStatus(
            type: type, size: 10, modifiedNanoseconds: 0, inode: 1, device: 1, permissions: mode, ownerID: owner, groupID: owner)
    }

    @Test(arguments: [0o666, 0o662, 0o620, 0o602, 0o777, 0o660] as [Int])
    func aFileOthersCanWriteIsRefusedWithTheChmodThatFixesIt(mode: Int) throws {
        let (directory, path) = try Self.makeFile(mode: mode)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            _ = try TokenFile.load(path: path)
            Issue.record("loaded a tokens file of mode \(String(mode, radix: 8))")
        } catch {
            #expect(error.path == path)
            #expect(error.problem.hasPrefix("refused: group or others can write the tokens file (mode 0\(String(mode, radix: 8)))"))
            #expect(error.description.hasSuffix("chmod 600 \(path)"), "\(error)")
        }
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o444] as [Int])
    func aFileOthersCanReadLoadsWithAWarning(mode: Int) throws {
        let (directory, path) = try Self.makeFile(mode: mode)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try TokenFile.load(path: path)
        #expect(file.tokens.count == 1)
        let warning = try #require(file.warnings.first { $0.contains("can read") })
        #expect(warning.hasPrefix("\(path): group or others can read the tokens file (mode 0\(String(mode, radix: 8)))"))
        #expect(warning.hasSuffix("chmod 600 \(path)"))
    }

    @Test(arguments: [0o600, 0o400, 0o700] as [Int])
    func aPrivateFileLoadsWithoutAPermissionWarning(mode: Int) throws {
        let (directory, path) = try Self.makeFile(mode: mode)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try TokenFile.load(path: path)
        #expect(!file.warnings.contains { $0.contains("can read") || $0.contains("can write") })
        #expect(file.warnings.count == 1, "only the legacy-entry warning: \(file.warnings)")
    }

    @Test func aFileOfAnotherUserIsRefusedRootsIsAccepted() throws {
        let server: UInt32 = 1000
        #expect(throws: Never.self) { try TokenFilePermissions.check(Self.status(mode: 0o600, owner: 1000), path: "t", serverUserID: server) }
        #expect(throws: Never.self) { try TokenFilePermissions.check(Self.status(mode: 0o600, owner: 0), path: "t", serverUserID: server) }
        do {
            _ = try TokenFilePermissions.check(Self.status(mode: 0o600, owner: 1001), path: "/etc/t.yaml", serverUserID: server)
            Issue.record("accepted another user's file")
        } catch {
            #expect(error.problem.hasPrefix("refused: the tokens file is owned by uid 1001, but the server runs as uid 1000"))
            #expect(error.problem.hasSuffix("chown 1000 /etc/t.yaml"))
        }
        do {
            _ = try TokenFilePermissions.check(Self.status(mode: 0o666, owner: 1001), path: "t", serverUserID: server)
            Issue.record("accepted another user's world-writable file")
        } catch {
            #expect(error.problem.contains("owned by uid 1001") && error.problem.contains("chmod 600 t"), "both problems are named")
        }
        // A root server accepts only root's files.
        #expect(throws: TokenFileError.self) { try TokenFilePermissions.check(Self.status(mode: 0o600, owner: 1000), path: "t", serverUserID: 0) }
    }

    @Test func theOwnerOfARealFileIsChecked() throws {
        guard System.effectiveUserID == 0 else { return }  // only root can give a file away
        let (directory, path) = try Self.makeFile(mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.setAttributes([.ownerAccountID: 4242], ofItemAtPath: path)
        do {
            _ = try TokenFile.load(path: path)
            Issue.record("loaded a file owned by uid 4242 while running as root")
        } catch {
            #expect(error.problem.contains("owned by uid 4242, but the server runs as uid 0"), "\(error)")
        }
    }

    @Test func onlyRegularFilesAreTokensFiles() throws {
        #expect(throws: TokenFileError.self) {
            try TokenFilePermissions.check(Self.status(mode: 0o600, owner: 7, type: .directory), path: "t", serverUserID: 7)
        }
        let directory = NSTemporaryDirectory() + "tokenperm-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            _ = try TokenFile.load(path: directory)
            Issue.record("loaded a directory")
        } catch {
            #expect(error.problem.contains("not a regular file"))
        }
    }

    @Test func tooLargeOrNotUTF8FilesAreRefused() throws {
        let (directory, path) = try Self.makeFile(mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data([0x74, 0x6f, 0xff, 0xfe]).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect { try TokenFile.load(path: path) } throws: { ($0 as? TokenFileError)?.problem.contains("not UTF-8") == true }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(TokenFile.maxFileBytes) + 1)
        try handle.close()
        #expect { try TokenFile.load(path: path) } throws: { ($0 as? TokenFileError)?.problem.contains("larger than 16 MiB") == true }
    }
}
