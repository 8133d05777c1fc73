"""Issue #9 item 8: alert subscribers. One tenant tries 5,000 subscriptions over 50 connections
(100 streams each): at most --max-subscribers-per-connection (8) per connection and
--max-subscribers-per-tenant (50) in all are accepted, every other gets RESOURCE_EXHAUSTED, and
meanwhile an urgent ClassifyIntent of that tenant (which alerts every subscriber) keeps its p50
within 2x of its baseline with no subscriber."""
from __future__ import annotations

import threading
import time

from attack import ATTACKER_TOKEN, STREAM, URGENT_TEXT, Bystander, latency_bound_ms, pb, port, report
from h2wire import RESOURCE_EXHAUSTED, grpc_frame, h2c

PER_TENANT, PER_CONNECTION = 50, 8
CONNECTIONS, STREAMS = 50, 100
SUBSCRIBE = grpc_frame(pb.StreamConversationsRequest(subscribe=pb.AlertSubscription()).SerializeToString())


def _responses(stream) -> list:
    return [pb.StreamConversationsResponse.FromString(payload) for _, payload in stream.messages()]


def _outcome(stream) -> str | None:
    """'accepted', 'exhausted' (stream status or item error RESOURCE_EXHAUSTED), another outcome, or None yet."""
    for response in _responses(stream):
        kind = response.WhichOneof("kind")
        if kind == "subscribed":
            return "accepted"
        if kind == "error":
            return "exhausted" if response.error.code == RESOURCE_EXHAUSTED else f"item error {response.error.code}"
    if stream.closed:
        if stream.grpc_status == RESOURCE_EXHAUSTED:
            return "exhausted"
        return f"ended status={stream.grpc_status} reset={stream.reset}"
    return None


def test_subscriptions_are_bounded_per_tenant_and_per_connection(servers):
    server = servers.start("item8-subscribers", ["--max-subscribers-per-tenant", str(PER_TENANT),
                                                 "--max-subscribers-per-connection", str(PER_CONNECTION)])
    urgent = Bystander(server, token=ATTACKER_TOKEN, text=URGENT_TEXT)
    assert urgent.client.classify(URGENT_TEXT).priority == pb.PRIORITY_URGENT
    baseline = urgent.p50_ms(pause=0.01)

    wires, per_connection, outcomes = [], [], {}
    started = time.monotonic()
    for _ in range(CONNECTIONS):
        wire = h2c(port(server))
        wires.append(wire)
        sids = []
        for _ in range(STREAMS):
            sid = wire.grpc_headers(STREAM, ATTACKER_TOKEN)
            wire.send_data(sid, SUBSCRIBE)
            sids.append(sid)
        wire.until(lambda: all(_outcome(wire.streams[s]) for s in sids), 20, "an answer to every subscription")
        results = [_outcome(wire.streams[s]) for s in sids]
        per_connection.append(results.count("accepted"))
        for result in results:
            outcomes[result] = outcomes.get(result, 0) + 1
    opening_s = time.monotonic() - started

    # Keep reading every connection (alerts, PINGs) while the tenant raises urgent alerts.
    stop = threading.Event()

    def read_all():
        while not stop.is_set():
            for wire in wires:
                wire.pump(0)
            time.sleep(0.005)
    reader = threading.Thread(target=read_all, daemon=True)
    reader.start()
    during = urgent.p50_ms(pause=0.01)
    time.sleep(0.5)
    stop.set()
    reader.join()
    for wire in wires:
        wire.pump(0.05)
    accepted = [(wire, sid) for wire in wires for sid, s in wire.streams.items() if _outcome(s) == "accepted"]
    alerted = sum(1 for wire, sid in accepted
                  if any(r.WhichOneof("kind") == "alert" for r in _responses(wire.streams[sid])))
    urgent.close()
    report("item8 5000 subscriptions", accepted=outcomes.get("accepted", 0), outcomes=outcomes,
           max_per_connection=max(per_connection), opening_s=opening_s, p50_baseline_ms=baseline,
           p50_during_ms=during, bound_ms=latency_bound_ms(baseline), subscribers_alerted=alerted)
    for wire in wires:
        wire.close()

    assert server.alive(), f"intentd died:\n{server.log_text()}"
    assert set(outcomes) <= {"accepted", "exhausted"}, f"unexpected outcomes: {outcomes}"
    assert max(per_connection) <= PER_CONNECTION, f"accepted per connection: {per_connection}"
    assert outcomes.get("accepted", 0) == PER_TENANT, f"accepted in all: {outcomes}"
    assert alerted == PER_TENANT, f"only {alerted} of the {PER_TENANT} subscribers got the alerts"
    assert during <= latency_bound_ms(baseline), \
        f"urgent ClassifyIntent p50 went from {baseline:.2f} ms to {during:.2f} ms with the subscribers"
