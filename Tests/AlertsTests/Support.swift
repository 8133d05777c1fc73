import Alerts

/// Runs `body`, cancelling it after `seconds` so a bug fails the test instead of hanging it.
/// (A bounded wait only: nothing asserts on how long anything takes.) nil when it timed out.
func within<T: Sendable>(seconds: Int = 30, _ body: @escaping @Sendable () async -> T) async -> T? {
    await withTaskGroup(of: T?.self) { group in
        group.addTask { await body() }
        group.addTask {
            try? await Task.sleep(for: .seconds(seconds))
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}

/// Reads `count` deliveries (nil entries when the subscription ended early).
func read(_ subscriber: AlertSubscriber<String>, _ count: Int) async -> [AlertDelivery<String>?] {
    var out: [AlertDelivery<String>?] = []
    for _ in 0..<count { out.append(await subscriber.next()) }
    return out
}

/// Spins (yielding) until `condition` holds or the bounded wait runs out; returns whether it held.
func eventually(_ condition: @escaping @Sendable () -> Bool) async -> Bool {
    await within {
        while !condition() {
            if Task.isCancelled { return false }
            await Task.yield()
        }
        return true
    } ?? false
}

func alert(_ sequence: UInt64, _ priority: Int, _ payload: String) -> AlertDelivery<String> {
    .alert(sequence: sequence, priority: priority, payload: payload)
}

extension AlertHub where Payload == String {
    @discardableResult
    func publish(_ tenant: String, _ priority: Int) -> UInt64 {
        publish(tenant: tenant, priority: priority) { "\(tenant)#\($0)" }
    }
}

/// The task's value within a bounded wait; on timeout the task is cancelled (so a reader blocked
/// in `next()` ends) and nil is returned.
func boundedValue<T: Sendable>(_ task: Task<T, Never>) async -> T? {
    await within {
        await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
    }
}
