"""The soak driver of Tools/soak.sh (run it through that script): one release intentd in tokens mode
with two tenants (acme on the shared default model, globex on its own model file) under mixed load
for DURATION seconds, its RSS sampled to a CSV, and a summary.

Load, all at once, all on 127.0.0.1:
- h2load: ClassifyIntent unary for globex at a fixed rate (one prebuilt request body, as
  Tools/bench-service.sh drives it);
- long-lived StreamConversations clients (grpcio): per tenant one that sends a buyer message every
  SEND_INTERVAL seconds (every tenth urgent, so alerts are raised) and checks each answer, and one
  subscribed to the tenant's alerts;
- a trickle of hostile connections (Tests/AttackTests/attackers.py): every HOSTILE_INTERVAL seconds
  one connection of no-token unary streams that try to send 4 MiB each (item 1) and one of
  StreamConversations streams that never open their window (item 3), each dropped after a while.

Exit status 1 when intentd died (or did not stop cleanly on SIGTERM), else 0; the numbers are in
the summary either way."""
from __future__ import annotations

import argparse
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "AttackTests"))

from attack import (ATTACKER_TOKEN, CLASSIFY, PLAIN_TEXT, URGENT_TEXT, VICTIM, VICTIM_TOKEN, Client, Intentd,  # noqa: E402
                    make_deployment, pb, rss_mb)
from attackers import NonReader, UnauthenticatedFlood  # noqa: E402
from h2wire import grpc_frame  # noqa: E402

SEND_INTERVAL = 0.02
HOSTILE_INTERVAL = 5.0
HOSTILE_HOLD = 12.0  # seconds a hostile connection is kept before the client drops it
STALL_TIMEOUT = 5  # --response-stall-timeout: the non-readers are cut off well within their hold


class Sender(threading.Thread):
    """A StreamConversations call that sends a message every SEND_INTERVAL and reads each answer."""

    def __init__(self, client: Client, stop: threading.Event, name: str):
        super().__init__(daemon=True, name=name)
        self.client, self.stop = client, stop
        self.sent = self.answered = self.urgent = 0
        self.errors: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self._one_call()
            except Exception as error:  # noqa: BLE001 - counted, then a new call
                self.errors.append(repr(error)[:200])
                time.sleep(0.5)

    def _one_call(self) -> None:
        stream = self.client.conversation()
        try:
            for i in range(5000):  # a new call now and then, as real clients reconnect
                if self.stop.is_set():
                    break
                urgent = self.sent % 10 == 9
                stream.send_message(URGENT_TEXT if urgent else PLAIN_TEXT, f"{self.name}-{self.sent}",
                                    conversation_id=f"{self.name}-c{i % 50}")
                self.sent += 1
                classification = stream.recv_kind("classification", timeout=30)
                self.answered += 1
                if classification.priority == pb.PRIORITY_URGENT:
                    self.urgent += 1
                time.sleep(SEND_INTERVAL)
        finally:
            stream.cancel()


class Subscriber(threading.Thread):
    """A StreamConversations call subscribed to the tenant's alerts, resubscribing should it end."""

    def __init__(self, client: Client, stop: threading.Event, name: str):
        super().__init__(daemon=True, name=name)
        self.client, self.stop = client, stop
        self.alerts = self.subscriptions = 0
        self.errors: list[str] = []
        self.stream = None

    def run(self) -> None:
        while not self.stop.is_set():
            self.stream = self.client.conversation()
            try:
                self.stream.subscribe()
                self.stream.recv_kind("subscribed", timeout=30)
                self.subscriptions += 1
                while not self.stop.is_set():
                    try:
                        response = self.stream.recv(timeout=1)
                    except AssertionError:
                        continue  # quiet second
                    if response.WhichOneof("kind") == "alert":
                        self.alerts += 1
            except Exception as error:  # noqa: BLE001 - counted, then resubscribe
                if not self.stop.is_set():
                    self.errors.append(repr(error)[:200])
                    time.sleep(0.5)
            finally:
                self.stream.cancel()


class HostileTrickle(threading.Thread):
    """Every HOSTILE_INTERVAL: one no-token flood connection and one zero-window connection, each
    closed HOSTILE_HOLD seconds later."""

    def __init__(self, server_port: int, stop: threading.Event):
        super().__init__(daemon=True, name="hostile")
        self.server_port, self.stop = server_port, stop
        self.connections = 0
        self.errors: list[str] = []
        self.unauthenticated_streams = self.cut_streams = 0

    def run(self) -> None:
        live: list[tuple[float, threading.Thread]] = []
        while not self.stop.wait(0 if not live and not self.connections else HOSTILE_INTERVAL):
            for attacker in (UnauthenticatedFlood(self.server_port, self.stop, streams=20, body=4 << 20, seconds=3),
                             NonReader(self.server_port, self.stop, token=ATTACKER_TOKEN, streams=10,
                                       try_bytes=256 << 10, seconds=3)):
                attacker.start()
                live.append((time.monotonic() + HOSTILE_HOLD, attacker))
                self.connections += 1
            live = self._drop_old(live, time.monotonic())
        self._drop_old(live, float("inf"))

    def _drop_old(self, live, now):
        keep = []
        for until, attacker in live:
            if until > now:
                keep.append((until, attacker))
                continue
            attacker.join(10)
            if attacker.error is not None:
                self.errors.append(repr(attacker.error)[:200])
            if attacker.wire is not None:
                attacker.wire.pump(0)
                streams = [attacker.wire.streams[sid] for sid in attacker.sent]
                if isinstance(attacker, UnauthenticatedFlood):
                    self.unauthenticated_streams += sum(1 for s in streams if s.grpc_status == 16)
                else:
                    self.cut_streams += sum(1 for s in streams if s.closed)
                attacker.wire.close()
        return keep


def h2load(server_port: int, body: Path, duration: int, clients: int, rps: int, log: Path) -> subprocess.Popen:
    url = f"http://127.0.0.1:{server_port}{CLASSIFY}"
    args = ["h2load", "-t", "1", "-c", str(clients), "-m", "4", "--rps", str(rps), "-D", str(duration),
            "-H", "content-type: application/grpc", "-H", "te: trailers",
            "-H", f"authorization: Bearer {VICTIM_TOKEN}", "-d", str(body), url]
    return subprocess.Popen(args, stdout=open(log, "w"), stderr=subprocess.STDOUT)


def h2load_summary(log: Path) -> dict[str, str]:
    text = log.read_text(errors="replace") if log.exists() else ""
    out = {}
    match = re.search(r"finished in ([0-9.]+\w+), ([0-9.]+) req/s", text)
    if match:
        out["seconds"], out["req_per_s"] = match.group(1), match.group(2)
    match = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored",
                      text)
    if match:
        out.update(total=match.group(1), succeeded=match.group(4), failed=match.group(5), errored=match.group(6))
    match = re.search(r"status codes: (\d+) 2xx", text)
    if match:
        out["2xx"] = match.group(1)
    return out


def slope_mb_per_min(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of RSS (MB) over time, per minute."""
    if len(samples) < 2:
        return 0.0
    n = len(samples)
    mean_t = sum(t for t, _ in samples) / n
    mean_r = sum(r for _, r in samples) / n
    var = sum((t - mean_t) ** 2 for t, _ in samples)
    if var == 0:
        return 0.0
    return sum((t - mean_t) * (r - mean_r) for t, r in samples) / var * 60


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("duration", type=int)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--intentd", required=True)
    parser.add_argument("--sample-seconds", type=float, default=10.0)
    parser.add_argument("--h2load-clients", type=int, default=4)
    parser.add_argument("--h2load-rps", type=int, default=200, help="requests per second per h2load client")
    options = parser.parse_args()
    out: Path = options.out
    out.mkdir(parents=True, exist_ok=True)

    deployment = make_deployment(out / "deployment", model_tenants=(VICTIM,))
    server = Intentd(options.intentd, deployment, None, out / "intentd.log",
                     ["--response-stall-timeout", str(STALL_TIMEOUT)])
    pid, port = server.process.pid, server.ports["h2c"]
    body = out / "classify.bin"
    body.write_bytes(grpc_frame(pb.ClassifyIntentRequest(message=pb.BuyerMessage(
        text=PLAIN_TEXT, message_id="soak", conversation_id="soak")).SerializeToString()))

    stop = threading.Event()
    channels = []

    def client(token: str) -> Client:
        channel = server.channel("h2c", [("grpc.use_local_subchannel_pool", 1)])
        channels.append(channel)
        return Client(channel, token)

    senders = [Sender(client(token), stop, f"send-{tenant}") for tenant, token in
               (("acme", ATTACKER_TOKEN), (VICTIM, VICTIM_TOKEN))]
    subscribers = [Subscriber(client(token), stop, f"sub-{tenant}") for tenant, token in
                   (("acme", ATTACKER_TOKEN), (VICTIM, VICTIM_TOKEN))]
    hostile = HostileTrickle(port, stop)
    load = h2load(port, body, options.duration, options.h2load_clients, options.h2load_rps, out / "h2load.txt")
    for thread in (*senders, *subscribers, hostile):
        thread.start()

    csv_path = out / "soak-rss.csv"
    samples: list[tuple[float, float]] = []
    died = False
    start = time.monotonic()
    with open(csv_path, "w") as csv:
        csv.write("elapsed_s,rss_mb,stream_messages,alerts,hostile_connections\n")

        def sample() -> bool:
            """One CSV row; False when intentd is gone."""
            elapsed = time.monotonic() - start
            try:
                if not server.alive():
                    return False
                rss = rss_mb(pid)
            except (OSError, RuntimeError):
                return False
            samples.append((elapsed, rss))
            answered, alerts = sum(s.answered for s in senders), sum(s.alerts for s in subscribers)
            csv.write(f"{elapsed:.1f},{rss:.1f},{answered},{alerts},{hostile.connections}\n")
            csv.flush()
            print(f"soak: {elapsed:6.0f} s  RSS {rss:7.1f} MB  stream answers {answered}  alerts {alerts}"
                  f"  hostile {hostile.connections}", file=sys.stderr)
            return True

        next_sample = start
        while not died:
            now = time.monotonic()
            if now >= next_sample:
                died = not sample()
                next_sample += options.sample_seconds
            if now - start >= options.duration:
                break
            time.sleep(min(0.5, max(0.0, next_sample - time.monotonic())))
        if not died and time.monotonic() - start - samples[-1][0] >= 1:
            died = not sample()  # the end of the run
        died = died or not server.alive()
    ran = time.monotonic() - start

    stop.set()
    try:
        load.wait(30)
    except subprocess.TimeoutExpired:
        load.send_signal(signal.SIGINT)
        load.wait(10)
    for thread in (*senders, *subscribers, hostile):
        thread.join(30)
    for channel in channels:
        channel.close()
    died = died or not server.alive()
    exit_status = None
    if not died:
        server.stop()
        exit_status = server.process.returncode

    rss_values = [r for _, r in samples]
    second_half = [(t, r) for t, r in samples if t >= options.duration / 2]
    unary = h2load_summary(out / "h2load.txt")
    errors = [e for thread in (*senders, *subscribers, hostile) for e in thread.errors]
    lines = [
        f"soak: {ran:.0f} of {options.duration} s, intentd pid {pid} ({'DIED' if died else f'exit status {exit_status} on SIGTERM'})",
        f"RSS MB: start {rss_values[0]:.1f}, max {max(rss_values):.1f}, end {rss_values[-1]:.1f}; "
        f"slope over the last half {slope_mb_per_min(second_half):+.2f} MB/min ({len(second_half)} samples)"
        if rss_values else "RSS: no sample",
        f"h2load ClassifyIntent ({options.h2load_clients} clients x {options.h2load_rps} req/s): "
        + ", ".join(f"{k} {v}" for k, v in unary.items()),
        f"StreamConversations: {sum(s.sent for s in senders)} messages sent, {sum(s.answered for s in senders)} answered "
        f"({sum(s.urgent for s in senders)} urgent); {sum(s.alerts for s in subscribers)} alerts to "
        f"{len(subscribers)} subscribers ({sum(s.subscriptions for s in subscribers)} subscriptions)",
        f"hostile connections: {hostile.connections} ({hostile.unauthenticated_streams} no-token streams answered "
        f"UNAUTHENTICATED, {hostile.cut_streams} non-reading streams ended by the server)",
        f"client errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""),
        f"CSV: {csv_path}; intentd log: {out / 'intentd.log'}",
    ]
    summary = "\n".join(lines)
    (out / "soak-summary.txt").write_text(summary + "\n")
    print(summary)
    failed = died or exit_status not in (0, None)
    if died:
        print(f"soak: FAILED: intentd died (its log: {out / 'intentd.log'})", file=sys.stderr)
    elif exit_status != 0:
        print(f"soak: FAILED: intentd exited {exit_status} on SIGTERM", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
