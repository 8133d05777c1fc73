import Foundation
import Testing
@testable import Replies

@Suite struct TemplateDirectoryStateTests {
    @Test func unchangedDirectoryHasTheSameState() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("en.yaml", "templates:\n  greeting: Hi\n")
        #expect(TemplateDirectoryState.scan(directory: directory.path) == TemplateDirectoryState.scan(directory: directory.path))
    }

    @Test func seesAddedEditedReplacedAndRemovedFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("en.yaml", "templates:\n  greeting: Hi\n")
        let set = try TemplateSet.load(directory: directory.path, owner: "acme")
        #expect(set.hasChangedOnDisk() == false)

        // Ignored files do not count as changes.
        try directory.write(".en.yaml.swp", "x")
        try directory.write("es.yaml.tmp", "x")
        #expect(set.hasChangedOnDisk() == false)

        // Added.
        try directory.write("es.yaml", "templates:\n  greeting: Hola\n")
        #expect(set.hasChangedOnDisk())
        let withSpanish = try TemplateSet.load(directory: directory.path, owner: "acme")
        #expect(withSpanish.hasChangedOnDisk() == false)

        // Same size, replaced by rename (new inode), with the old modification time.
        let path = directory.path + "/en.yaml"
        let oldModified = try #require(
            try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
        try directory.write("next.tmp", "templates:\n  greeting: Yo\n")
        try FileManager.default.setAttributes([.modificationDate: oldModified], ofItemAtPath: directory.path + "/next.tmp")
        _ = rename(directory.path + "/next.tmp", path)
        #expect(withSpanish.hasChangedOnDisk())

        // Edited in place (size changes).
        let replaced = try TemplateSet.load(directory: directory.path, owner: "acme")
        try directory.write("en.yaml", "templates:\n  greeting: Hello there\n")
        #expect(replaced.hasChangedOnDisk())

        // Removed.
        let edited = try TemplateSet.load(directory: directory.path, owner: "acme")
        try FileManager.default.removeItem(atPath: directory.path + "/es.yaml")
        #expect(edited.hasChangedOnDisk())
    }

    @Test func followsSymbolicLinksToSwappedTargets() throws {
        // The layout of a mounted config map: en.yaml -> ..data/en.yaml, ..data -> ..v1 (then ..v2).
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let manager = FileManager.default
        for version in ["..v1", "..v2"] {
            try manager.createDirectory(atPath: directory.path + "/" + version, withIntermediateDirectories: false)
        }
        try directory.write("..v1/en.yaml", "templates:\n  greeting: Hi\n")
        try directory.write("..v2/en.yaml", "templates:\n  greeting: Yo\n")
        try manager.createSymbolicLink(atPath: directory.path + "/..data", withDestinationPath: "..v1")
        try manager.createSymbolicLink(atPath: directory.path + "/en.yaml", withDestinationPath: "..data/en.yaml")

        let first = try TemplateSet.load(directory: directory.path, owner: "acme")
        #expect(first.template(language: "en", intent: "greeting")?.render([:]) == "Hi")
        #expect(first.hasChangedOnDisk() == false)

        try manager.createSymbolicLink(atPath: directory.path + "/..data.tmp", withDestinationPath: "..v2")
        #expect(rename(directory.path + "/..data.tmp", directory.path + "/..data") == 0)
        #expect(first.hasChangedOnDisk())
        let second = try TemplateSet.load(directory: directory.path, owner: "acme")
        #expect(second.template(language: "en", intent: "greeting")?.render([:]) == "Yo")
    }

    @Test func recognisesTemplateFileNames() {
        #expect(TemplateDirectoryState.isTemplateFileName("es.yaml"))
        #expect(TemplateDirectoryState.isTemplateFileName("bogus.yaml"))  // loaded, then rejected by name
        #expect(!TemplateDirectoryState.isTemplateFileName(".es.yaml"))
        #expect(!TemplateDirectoryState.isTemplateFileName("es.yaml.tmp"))
        #expect(!TemplateDirectoryState.isTemplateFileName("es.yml"))
        #expect(!TemplateDirectoryState.isTemplateFileName("notes.txt"))
    }
}
