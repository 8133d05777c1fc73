"""Issue #9 item 4: blocking work stays off the event loop. Four tenants with their own model files
and a memory budget that holds one of them: each of their calls evicts another tenant's model and
forces a reload. Meanwhile another tenant, served by the shared default model (never evicted),
keeps its ClassifyIntent p50 within 2x of its baseline. One event loop (--threads 1), so a reload
run on the loop would stall every call on it."""
from __future__ import annotations

import threading
import time

import grpc

from attack import Bystander, Client, latency_bound_ms, report, tenant_token

CHURN_TENANTS = ("t1", "t2", "t3", "t4")
BUDGET_MB = 30  # one 28 MB tenant model fits, two do not
CHURNERS = 1  # one reload at a time: a core for it, the other for the event loop


class Churn(threading.Thread):
    """ClassifyIntent for one tenant after another on its own connection: every call needs a model
    that was just evicted."""

    def __init__(self, server, offset: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.channel = server.channel("h2c", [("grpc.use_local_subchannel_pool", 1)])
        self.clients = [Client(self.channel, tenant_token(t)) for t in CHURN_TENANTS]
        self.offset, self.stop = offset, stop
        self.calls, self.errors = 0, []
        self.latencies: list[float] = []

    def run(self) -> None:
        index = self.offset
        while not self.stop.is_set():
            client = self.clients[index % len(self.clients)]
            index += 1
            start = time.perf_counter()
            try:
                c = client.classify("where is my order?")
                assert c.model.tenant in CHURN_TENANTS, c.model
            except (grpc.RpcError, AssertionError) as error:
                self.errors.append(error)
            self.latencies.append((time.perf_counter() - start) * 1000)
            self.calls += 1
        self.channel.close()


def reloads_in(server) -> int:
    """Reloads of evicted models so far, from the whole log (log_text() is only its tail)."""
    return server.log.read_text(errors="replace").count("after eviction")


def test_model_reloads_do_not_stall_another_tenant(servers):
    server = servers.start("item4-reloads", ["--threads", "1", "--memory-budget-mb", str(BUDGET_MB)],
                           model_tenants=CHURN_TENANTS)
    bystander = Bystander(server)
    assert bystander.client.classify("where is my order?").model.tenant == "", "the bystander must use the shared model"
    baseline = bystander.p50_ms(pause=0.02)
    stop = threading.Event()
    churners = [Churn(server, offset, stop) for offset in range(CHURNERS)]
    reloads_before = reloads_in(server)
    for churner in churners:
        churner.start()
    time.sleep(0.5)  # reloads under way
    during = bystander.p50_ms(pause=0.02)
    worst = max(bystander.last_samples)
    stop.set()
    for churner in churners:
        churner.join(30)
    bystander.close()
    time.sleep(0.2)
    reloads = reloads_in(server) - reloads_before
    calls = sum(c.calls for c in churners)
    errors = [e for c in churners for e in c.errors]
    churn_p50 = sorted(x for c in churners for x in c.latencies)[calls // 2] if calls else 0.0
    report("item4 reloads vs shared-model tenant", p50_baseline_ms=baseline, p50_during_ms=during, max_during_ms=worst,
           bound_ms=latency_bound_ms(baseline), churn_calls=calls, reloads=reloads, churn_p50_ms=churn_p50,
           churn_errors=len(errors))

    assert server.alive(), f"intentd died:\n{server.log_text()}"
    assert reloads >= 5, f"only {reloads} reloads after eviction: the attack did not force reloads"
    assert not errors, f"{len(errors)} churn calls failed, first: {errors[0]!r}"
    assert during <= latency_bound_ms(baseline), \
        f"the bystander's p50 went from {baseline:.2f} ms to {during:.2f} ms while models reloaded"
