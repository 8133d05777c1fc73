internal import RPC

/// Runs the selected interop cases one after another and reports each as the interop matrix
/// expects: `PASS name`, `FAIL name: why` or `SKIP name`, then `N passed, N failed[, N skipped]`.
struct InteropRunner {
    /// One requested case: known, or a name no case has.
    enum Selection: Equatable {
        case known(InteropTestCase)
        case unknown(String)
    }

    struct Summary: Equatable {
        var passed = 0
        var failed = 0
        var skipped = 0

        var line: String {
            skipped > 0 ? "\(passed) passed, \(failed) failed, \(skipped) skipped" : "\(passed) passed, \(failed) failed"
        }
    }

    /// Parses `--test_case`: `all`, or names separated by commas (spaces ignored).
    static func select(_ testCases: String) -> [Selection] {
        if testCases.trimmingCharacters(in: " ") == "all" { return InteropTestCase.allCases.map(Selection.known) }
        return testCases.split(separator: ",").compactMap { name in
            let trimmed = String(name).trimmingCharacters(in: " ")
            guard !trimmed.isEmpty else { return nil }
            return InteropTestCase(rawValue: trimmed).map(Selection.known) ?? .unknown(trimmed)
        }
    }

    let client: InteropClient
    let output: @Sendable (String) -> Void

    /// Runs the cases in order; a failing case does not stop the others.
    func run(_ selections: [Selection]) async -> Summary {
        var summary = Summary()
        for selection in selections {
            switch selection {
            case .unknown(let name):
                summary.failed += 1
                output("FAIL \(name): unknown test case (known: \(InteropTestCase.allCases.map(\.rawValue).joined(separator: ", ")))")
            case .known(let testCase):
                do {
                    try await testCase.run(with: client)
                    summary.passed += 1
                    output("PASS \(testCase.rawValue)")
                } catch {
                    summary.failed += 1
                    output("FAIL \(testCase.rawValue): \(Self.describe(error))")
                }
            }
        }
        output(summary.line)
        return summary
    }

    /// One line, whatever the error.
    static func describe(_ error: any Error) -> String {
        let text: String
        if let rpcError = error as? RPCError {
            text = "unexpected status \(rpcError.status)"
        } else {
            text = "\(error)"
        }
        return text.replacingNewlines()
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var slice = self[...]
        while slice.first == set { slice = slice.dropFirst() }
        while slice.last == set { slice = slice.dropLast() }
        return String(slice)
    }

    /// The text on one line: CR and LF shown as `\r` and `\n`.
    fileprivate func replacingNewlines() -> String {
        var result = ""
        for character in self {
            switch character {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\r\n": result += "\\r\\n"
            default: result.append(character)
            }
        }
        return result
    }
}
