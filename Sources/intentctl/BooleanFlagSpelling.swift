/// The interop test flags are booleans written `--use_tls=true` by some runners and `--use_tls`
/// by others; ArgumentParser flags accept only the second form.
enum BooleanFlagSpelling {
    /// The flags that take an optional `=BOOLEAN`.
    static let flags: Set<String> = ["--use_tls", "--use_test_ca"]

    /// Rewrites `--flag=true`/`=1` to `--flag` and drops `--flag=false`/`=0`; other arguments
    /// (and anything after `--`) pass through unchanged. An unrecognised value is left for
    /// ArgumentParser to reject with its usual message.
    static func normalize(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var passThrough = false
        for argument in arguments {
            if passThrough || argument == "--" {
                passThrough = true
                result.append(argument)
                continue
            }
            guard let equals = argument.firstIndex(of: "="), flags.contains(String(argument[..<equals])) else {
                result.append(argument)
                continue
            }
            let name = String(argument[..<equals])
            switch argument[argument.index(after: equals)...].lowercased() {
            case "true", "1", "yes": result.append(name)
            case "false", "0", "no": break
            default: result.append(argument)
            }
        }
        return result
    }
}
