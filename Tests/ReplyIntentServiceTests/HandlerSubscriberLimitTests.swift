import Alerts
import Messages
import RPC
@testable import ReplyIntentService
import Testing

/// Alert subscriptions are bounded per tenant and per client connection: publishing wakes every
/// subscriber, so the bound is what one alert may cost.
@Suite(.timeLimit(.minutes(1))) struct HandlerSubscriberLimitTests {
    let harness: ServiceHarness

    init() throws {
        var dependencies = try ServiceFixture.get().dependencies
        dependencies.alerts = AlertHub<Alert>(bufferCapacity: 16, maxSubscribersPerTenant: 3)
        dependencies.limits.maxSubscribersPerConnection = 2
        harness = ServiceHarness(dependencies: dependencies)
    }

    private func stream(connection: UInt64) -> StreamHarness {
        let path = ServiceHarness.service + "StreamConversations"
        guard case .success(.streaming(let handler)) = harness.router.resolve(path).map(\.handler) else {
            fatalError("StreamConversations is not a streaming method")
        }
        var info = ServiceHarness.info(path, token: ServiceFixture.acmeToken)
        info.connectionID = connection
        return StreamHarness(handler: handler, info: info)
    }

    private func subscribe(_ stream: StreamHarness) async throws -> StreamConversationsResponse.Kind? {
        stream.send(.subscribe(AlertSubscription()))
        return try await stream.next()
    }

    @Test func subscriptionsPerConnectionAndPerTenantAreBounded() async throws {
        // Connection 1: two streams subscribe, the third is refused (and its stream goes on).
        let a = stream(connection: 1), b = stream(connection: 1), c = stream(connection: 1)
        guard case .subscribed? = try await subscribe(a), case .subscribed? = try await subscribe(b) else {
            Issue.record("the first two subscriptions were refused")
            return
        }
        guard case .error(let perConnection)? = try await subscribe(c) else {
            Issue.record("a third subscription on one connection was accepted")
            return
        }
        #expect(perConnection.code == Status.Code.resourceExhausted.rawValue)
        #expect(perConnection.message.contains("alerts.max_subscribers_per_connection"))
        c.message("m-1", "where is my order?")
        guard case .classification? = try await c.next() else {
            Issue.record("the refused stream stopped answering")
            return
        }
        // Re-subscribing on a stream that already holds a slot does not take a second one.
        guard case .subscribed? = try await subscribe(a) else {
            Issue.record("a replacing subscription was refused")
            return
        }
        // Connection 2: the tenant's third subscription is accepted, the fourth refused.
        let d = stream(connection: 2), e = stream(connection: 2)
        guard case .subscribed? = try await subscribe(d) else {
            Issue.record("the tenant's third subscription was refused")
            return
        }
        guard case .error(let perTenant)? = try await subscribe(e) else {
            Issue.record("a fourth subscription of the tenant was accepted")
            return
        }
        #expect(perTenant.code == Status.Code.resourceExhausted.rawValue)
        #expect(perTenant.message.contains("alerts.max_subscribers_per_tenant"))
        #expect(harness.dependencies.alerts.subscriberCount(tenant: "acme") == 3)
        // Ending a stream frees both its slots.
        a.task.cancel()
        _ = await a.outcome()
        guard case .subscribed? = try await subscribe(e) else {
            Issue.record("a slot freed by an ended stream was not reusable")
            return
        }
        for stream in [b, c, d, e] {
            stream.task.cancel()
            _ = await stream.outcome()
        }
        #expect(harness.dependencies.alerts.subscriberCount(tenant: "acme") == 0)
    }
}
