/// Polls `condition` every 2 ms until it holds or `seconds` pass; returns whether it held. For
/// server-side effects (a handler cancelled) that follow a close the test client already saw.
func eventually(seconds: Double = 10, _ condition: () -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try await Task.sleep(for: .milliseconds(2))
    }
    return condition()
}
