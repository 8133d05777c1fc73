/// Model names, as requests give them: `name` for one of the caller's own models (or the shared
/// default), `tenant/name` spelled out. Names follow the tenant id pattern `^[a-z0-9][a-z0-9_-]{0,62}$`,
/// so a name is always safe as a file name.
enum ModelName {
    static let maxLength = 63

    /// Why `name` is not a valid model name, or nil when it is.
    static func problem(with name: String) -> String? {
        let bytes = name.utf8
        guard let first = bytes.first else { return "a model name must not be empty" }
        guard bytes.count <= maxLength else { return "a model name has at most \(maxLength) characters" }
        guard isLowerAlnum(first),
            bytes.allSatisfy({ isLowerAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
        else {
            return "a model name uses only a-z, 0-9, '_' and '-', and starts with a letter or digit"
        }
        return nil
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
