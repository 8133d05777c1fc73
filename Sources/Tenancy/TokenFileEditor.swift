internal import Crypto

/// Adds a salted token entry to a tokens file's text the way a person would edit it: every
/// other line, comments included, stays as it was. The new entry goes after the last line of
/// the `tokens:` list (with that list's indentation), a missing `salt:` goes before the first
/// key, and a missing `tokens:` is appended. The result is parsed again and must hold exactly
/// the old credentials plus the new one, else nothing is changed and the error says what to add
/// by hand. `intentctl token hash` is its user; it never sees the file system.
public enum TokenFileEditor {
    /// A new file's text, or an edited one's.
    public struct Edit: Sendable, Equatable {
        /// The whole new text.
        public let text: String
        /// The file it parses to.
        public let file: TokenFile
        /// Whether a `salt:` line was added (the file had none).
        public let addedSalt: Bool
        /// The new entry's 1-based line.
        public let entryLine: Int
        /// Things the operator should know (a legacy entry of the same token to delete).
        public let notes: [String]
    }

    /// `- {tenant: acme, hmac_sha256: <64 hex digits>, admin: true}` (no indentation): one flow
    /// mapping, so it reads the same wherever it is pasted under `tokens:`.
    public static func entryText(tenant: TenantID, hmacSHA256: String, isAdmin: Bool) -> String {
        // A plain `null` would read as no value; every other tenant id is a plain string.
        let name = tenant.rawValue == "null" ? "\"null\"" : tenant.rawValue
        return "- {tenant: \(name), hmac_sha256: \(hmacSHA256)\(isAdmin ? ", admin: true" : "")}"
    }

    /// The text of a new tokens file holding `salt` and one entry for `token`.
    public static func newFile(salt: TokenSalt, tenant: TenantID, token: String, isAdmin: Bool) throws(TokenFileError) -> Edit {
        let lines = [
            "# intentd tokens file: only HMAC-SHA256(salt, token) codes, never a token. Add one with",
            "# `intentctl token hash --tokens-file FILE --tenant TENANT --generate`; keep the file mode 600.",
            saltLine(salt),
            "tokens:",
            "  " + entryText(tenant: tenant, hmacSHA256: salt.digest(of: token), isAdmin: isAdmin),
        ]
        let text = lines.joined(separator: "\n") + "\n"
        let file = try TokenFile.parse(yaml: text)
        return Edit(text: text, file: file, addedSalt: true, entryLine: lines.count, notes: [])
    }

    /// `text` (a valid tokens file) with an entry for `token` added, and a salt from `newSalt`
    /// when it has none (its `sha256` entries stay valid: they do not use it).
    ///
    /// - Throws: ``TokenFileError`` when `text` is not a valid tokens file, when the token is
    ///   in it already as an `hmac_sha256` entry, or when the layout is one this simple editor
    ///   cannot extend (a flow list `tokens: [...]`): the message then gives the lines to add.
    public static func adding(
        tenant: TenantID, token: String, isAdmin: Bool, to text: String, newSalt: () throws -> TokenSalt
    ) throws -> Edit {
        let old = try TokenFile.parse(yaml: text)
        let salt = try old.salt ?? newSalt()
        let digest = salt.digest(of: token)
        if let (index, existing) = old.tokens.enumerated().first(where: { $0.element.digest == .hmacSHA256(digest) }) {
            throw TokenFileError(
                line: existing.line,
                problem: "this token is in the file already: tokens[\(index)] (tenant \(existing.tenant))")
        }
        let entry = entryText(tenant: tenant, hmacSHA256: digest, isAdmin: isAdmin)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }  // the final newline; one is always written back
        if old.salt == nil {
            let first = lines.firstIndex { !isBlankOrComment($0) && !isDocumentStart($0) } ?? lines.count
            lines.insert(contentsOf: [saltComment, saltLine(salt)], at: first)
        }
        let entryIndex = try insertEntry(entry, into: &lines, salt: old.salt == nil ? salt : nil)
        let newText = lines.joined(separator: "\n") + "\n"
        let new: TokenFile
        do {
            new = try TokenFile.parse(yaml: newText)
        } catch {
            throw byHand("the edited file does not parse (\(error))", entry: entry, salt: old.salt == nil ? salt : nil)
        }
        let added = new.tokens.last
        guard new.salt == salt, new.clientCertificates == old.clientCertificates,
            new.tokens.count == old.tokens.count + 1,
            zip(old.tokens, new.tokens).allSatisfy({ Self.sameCredential($0, $1) }),
            added?.digest == .hmacSHA256(digest), added?.tenant == tenant, added?.isAdmin == isAdmin
        else {
            throw byHand("the edited file would not hold the same credentials", entry: entry, salt: old.salt == nil ? salt : nil)
        }
        var notes: [String] = []
        let legacyDigest = SHA256.hexDigest(token)
        for (index, existing) in old.tokens.enumerated() where existing.digest == .sha256(legacyDigest) {
            notes.append(
                "tokens[\(index)] (tenant \(existing.tenant)\(existing.line.map { ", line \($0)" } ?? "")) holds the same"
                    + " token in the legacy sha256 form: delete that entry")
        }
        return Edit(text: newText, file: new, addedSalt: old.salt == nil, entryLine: entryIndex + 1, notes: notes)
    }

    private static let saltComment = "# HMAC-SHA256 key of the hmac_sha256 entries (`intentctl token hash`); keep it with them."

    private static func saltLine(_ salt: TokenSalt) -> String { "salt: \(salt.hex)" }

    /// Puts `entry` into the `tokens:` list; returns its 0-based line index.
    private static func insertEntry(_ entry: String, into lines: inout [String], salt: TokenSalt?) throws(TokenFileError) -> Int {
        guard let keyIndex = lines.firstIndex(where: { topLevelValue(of: $0, key: "tokens") != nil }) else {
            lines.append("tokens:")
            lines.append("  " + entry)
            return lines.count - 1
        }
        let value = topLevelValue(of: lines[keyIndex], key: "tokens")!
        switch value.text {
        case "":
            break
        case "[]", "~", "null", "Null", "NULL":
            // An empty list written inline becomes a block list (its comment is kept).
            lines[keyIndex] = "tokens:" + (value.comment.map { "  " + $0 } ?? "")
        default:
            throw byHand("'tokens:' is written inline on one line", entry: entry, salt: salt)
        }
        var lastContent: Int?
        var indentation: String?
        var index = keyIndex + 1
        while index < lines.count, !isTopLevelBoundary(lines[index]) {
            if !isBlankOrComment(lines[index]) {
                lastContent = index
                if indentation == nil {
                    let line = lines[index]
                    let leading = line.prefix { $0 == " " }
                    if line.dropFirst(leading.count).hasPrefix("-") { indentation = String(leading) }
                }
            }
            index += 1
        }
        let at = (lastContent ?? keyIndex) + 1
        lines.insert((indentation ?? "  ") + entry, at: at)
        return at
    }

    /// `key: value  # comment` at column 0: the value (trimmed) and the comment; nil for other lines.
    private static func topLevelValue(of line: String, key: String) -> (text: String, comment: String?)? {
        let line = line.hasSuffix("\r") ? String(line.dropLast()) : line
        guard line.hasPrefix(key + ":") else { return nil }
        let rest = line.dropFirst(key.count + 1)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        let trimmed = rest.drop { $0 == " " || $0 == "\t" }
        if trimmed.hasPrefix("#") { return ("", String(trimmed)) }
        // A comment starts at a '#' after a space (a '#' inside a value does not start one).
        var previous: Character = " "
        for index in trimmed.indices {
            if trimmed[index] == "#" && (previous == " " || previous == "\t") {
                return (trimmed[..<index].trimmingSpaces(), String(trimmed[index...]))
            }
            previous = trimmed[index]
        }
        return (trimmed.trimmingSpaces(), nil)
    }

    private static func isBlankOrComment(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
        return trimmed.isEmpty || trimmed.hasPrefix("#")
    }

    private static func isDocumentStart(_ line: String) -> Bool {
        line.hasPrefix("%") || line.trimmingSpaces() == "---"
    }

    /// A line that ends the block after a top-level key: another top-level key, or a document marker.
    /// A `-` at column 0 is still the list's (YAML lets a key's list start at the key's indentation).
    private static func isTopLevelBoundary(_ line: String) -> Bool {
        guard let first = line.first, !isBlankOrComment(line) else { return false }
        let trimmed = line.trimmingSpaces()
        if trimmed == "---" || trimmed == "..." || trimmed.hasPrefix("--- ") { return true }
        return first != " " && first != "\t" && first != "-"
    }

    private static func sameCredential(_ a: TokenFile.Token, _ b: TokenFile.Token) -> Bool {
        a.tenant == b.tenant && a.digest == b.digest && a.isAdmin == b.isAdmin && a.name == b.name
    }

    private static func byHand(_ why: String, entry: String, salt: TokenSalt?) -> TokenFileError {
        TokenFileError(
            problem: "cannot add the entry automatically: \(why); add by hand"
                + (salt.map { " '\(saltLine($0))' as a top-level key and" } ?? "") + " '\(entry)' under tokens:")
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and carriage returns.
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
