internal import RPC

/// A failed interop assertion: what was expected and what happened.
struct InteropFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}

/// Fails the case with `message` unless `condition` holds.
func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw InteropFailure(message()) }
}

/// Runs `body` and requires it to fail with `code`; returns the error for further checks.
@discardableResult
func expectStatus(
    _ code: Status.Code, _ what: String, _ body: () async throws -> Void
) async throws -> RPCError {
    do {
        try await body()
    } catch let error as RPCError {
        try expect(error.code == code, "\(what): got \(error.status), want \(code)")
        return error
    }
    throw InteropFailure("\(what): succeeded, want \(code)")
}

/// Requires `status` to have `code` (and `message`, when given).
func expectStatus(_ status: Status, _ code: Status.Code, message: String? = nil, _ what: String) throws {
    try expect(status.code == code, "\(what): got \(status), want \(code)")
    if let message {
        try expect(status.message == message, "\(what): status message \(String(reflecting: status.message)), want \(String(reflecting: message))")
    }
}
