/// Model names, as requests and policies give them: `name` for one of the caller's own models (or the shared
/// default), `tenant/name` spelled out. Names follow the tenant id rule (``TenantID/isValid(_:)``),
/// so a name is always safe as a file name.
public enum ModelName {
    public static let maxLength = 63

    /// Why `name` is not a valid model name, or nil when it is.
    public static func problem(with name: String) -> String? {
        let bytes = name.utf8
        guard !bytes.isEmpty else { return "a model name must not be empty" }
        guard bytes.count <= maxLength else { return "a model name has at most \(maxLength) characters" }
        guard TenantID.isValid(name) else {
            return "a model name uses only a-z, 0-9, '_' and '-', and starts with a letter or digit"
        }
        return nil
    }
}
