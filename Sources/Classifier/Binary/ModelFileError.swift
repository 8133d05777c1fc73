/// Why a model file could not be read. `message` is meant for a person: it says what is wrong
/// with the file (not which line of code noticed), e.g. "checksum mismatch: file is corrupt".
public struct ModelFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        case empty, badMagic, unsupportedVersion, truncated, trailingBytes, checksumMismatch
        case malformedSection, missingSection, io
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// A section's payload ended before a value could be read, or held an impossible value.
    public static func malformed(_ section: String, _ detail: String) -> ModelFileError {
        ModelFileError(.malformedSection, "model file section \(section) is malformed: \(detail)")
    }
}
