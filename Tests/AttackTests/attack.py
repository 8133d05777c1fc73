"""What every attack test needs besides the wire client (h2wire.py): deployments with tokens and
tenants, intentd processes (harness.Intentd from Tests/PythonClientTests), the RSS of the process,
another tenant's ClassifyIntent latency, and a report of the numbers each test measured."""
from __future__ import annotations

import os
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "PythonClientTests"))

import grpc  # noqa: E402

import harness  # noqa: E402  (the grpcio stubs, the Intentd process, the Client)
from harness import Client, Deployment, Intentd, admin_pb2, pb, sha256_hex  # noqa: E402, F401 (admin_pb2 for the tests)

ROOT = harness.ROOT
MODEL = ROOT / "models" / "default.rimodel"
CLASSIFY = "/replyintent.v1.ReplyIntent/ClassifyIntent"
STREAM = "/replyintent.v1.ReplyIntent/StreamConversations"
LIST_MODELS = "/replyintent.v1.ReplyIntentAdmin/ListModels"

# The attacker's tenant, the bystander whose latency is watched, and an admin.
ATTACKER_TOKEN = "acme-attack-token-3b7c1d9e"
VICTIM_TOKEN = "globex-victim-token-a4e82f10"
ADMIN_TOKEN = "ops-admin-token-c6d05b72"
ATTACKER, VICTIM, ADMIN = "acme", "globex", "ops"
URGENT_TEXT = "this is a scam, I will file a chargeback"  # a threat and a risk term: PRIORITY_URGENT
PLAIN_TEXT = "Hi, can you tell me where my order is?"


def tenant_token(tenant: str) -> str:
    return {ATTACKER: ATTACKER_TOKEN, VICTIM: VICTIM_TOKEN, ADMIN: ADMIN_TOKEN}.get(tenant, f"{tenant}-token-5a5a5a5a")


def make_deployment(directory: Path, *, model_tenants: tuple[str, ...] = (), tokens_mode: int = 0o600,
                    tokens: bool = True) -> Deployment:
    """tokens.yaml (0600 unless told) for acme, globex, ops (admin) and each of model_tenants, whose
    tenants/<t>/models/default.rimodel is a copy of the shared default model (its own, separately loaded).
    tokens=False: no tokens file (single-tenant mode)."""
    directory.mkdir(parents=True, exist_ok=True)
    tenants_dir = directory / "tenants"
    tenants_dir.mkdir(exist_ok=True)
    if not tokens:
        return Deployment(directory, None, tenants_dir, ROOT / "Templates", MODEL)
    tenants = [ATTACKER, VICTIM, *(t for t in model_tenants if t not in (ATTACKER, VICTIM))]
    lines = ["tokens:"]
    for tenant in tenants:
        lines += [f"  - tenant: {tenant}", f"    sha256: {sha256_hex(tenant_token(tenant))}"]
    lines += [f"  - tenant: {ADMIN}", f"    sha256: {sha256_hex(ADMIN_TOKEN)}", "    admin: true"]
    tokens_file = directory / "tokens.yaml"
    tokens_file.write_text("\n".join(lines) + "\n")
    os.chmod(tokens_file, tokens_mode)
    for tenant in model_tenants:
        models = tenants_dir / tenant / "models"
        models.mkdir(parents=True)
        shutil.copyfile(MODEL, models / "default.rimodel")
    return Deployment(directory, tokens_file, tenants_dir, ROOT / "Templates", MODEL)


def config_file(directory: Path, server: dict[str, int]) -> Path:
    """A configuration file with these server.* keys (the bounds that have no flag)."""
    path = directory / "intentd.yaml"
    path.write_text("server:\n" + "".join(f"  {key}: {value}\n" for key, value in server.items()))
    return path


STARTED: list[Intentd] = []  # every server of the session, for the summary


class Servers:
    """Starts intentd processes over fresh deployments; stops them all at the end of the session."""

    def __init__(self, binary: str, factory):
        self.binary, self.factory = binary, factory
        self.started: list[Intentd] = []

    def start(self, name: str, flags: list[str] = (), *, server_config: dict[str, int] | None = None,
              model_tenants: tuple[str, ...] = (), tokens: bool = True, prepare=None) -> Intentd:
        """`prepare(deployment)` runs before the process starts (extra files in the tenants dir)."""
        directory = self.factory.mktemp(name)
        deployment = make_deployment(directory / "deployment", model_tenants=model_tenants, tokens=tokens)
        if prepare is not None:
            prepare(deployment)
        extra = list(flags)
        if server_config:
            extra += ["--config", str(config_file(directory, server_config))]
        server = Intentd(self.binary, deployment, None, directory / "intentd.log", extra)
        self.started.append(server)
        STARTED.append(server)
        return server

    def stop(self, server: Intentd) -> None:
        server.stop()

    def stop_all(self) -> None:
        for server in self.started:
            server.stop()


def port(server: Intentd) -> int:
    return server.ports["h2c"]


# ----------------------------------------------------------------------------------------------
# Memory.

def rss_mb(pid: int) -> float:
    """VmRSS of the process in MB (10^6 bytes)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError(f"no VmRSS for {pid}")


class RssSampler:
    """Samples a process's RSS every `interval` seconds in a thread, keeping the peak."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.pid, self.interval = pid, interval
        self.start_mb = rss_mb(pid)
        self.peak_mb = self.start_mb
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak_mb = max(self.peak_mb, rss_mb(self.pid))
            except (OSError, RuntimeError):
                return  # the process is gone: the test's liveness check says so
            self._stop.wait(self.interval)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        try:
            self.peak_mb = max(self.peak_mb, rss_mb(self.pid))
        except (OSError, RuntimeError):
            pass

    @property
    def growth_mb(self) -> float:
        return self.peak_mb - self.start_mb


# ----------------------------------------------------------------------------------------------
# Latency of a well-behaved tenant.

class Bystander:
    """A grpcio client of one tenant on its own connection, timing ClassifyIntent."""

    def __init__(self, server: Intentd, token: str = VICTIM_TOKEN, text: str = PLAIN_TEXT):
        self.channel = server.channel("h2c", [("grpc.use_local_subchannel_pool", 1)])
        self.client = Client(self.channel, token)
        self.text = text
        self.client.classify(text)  # connect and warm up
        for _ in range(10):
            self.client.classify(text)

    def p50_ms(self, calls: int = 50, pause: float = 0.0) -> float:
        """The median of `calls` ClassifyIntent latencies in ms, `pause` seconds apart."""
        samples = []
        for _ in range(calls):
            start = time.perf_counter()
            self.client.classify(self.text)
            samples.append((time.perf_counter() - start) * 1000)
            if pause:
                time.sleep(pause)
        self.last_samples = samples
        return statistics.median(samples)

    def close(self) -> None:
        self.channel.close()


def latency_bound_ms(baseline_ms: float) -> float:
    """Within 2x of the baseline, with a floor for a noisy shared machine."""
    return max(2 * baseline_ms, baseline_ms + 5.0)


# ----------------------------------------------------------------------------------------------
# The numbers each test measured, printed at the end of the run (and to $ATTACK_REPORT).

REPORT: list[str] = []


def report(test: str, **numbers) -> None:
    parts = []
    for key, value in numbers.items():
        parts.append(f"{key}={value:.2f}" if isinstance(value, float) else f"{key}={value}")
    line = f"{test}: " + " ".join(parts)
    REPORT.append(line)


def grpc_code(error: grpc.RpcError) -> grpc.StatusCode:
    return error.code()


def classify_body(text: str = PLAIN_TEXT, **message) -> bytes:
    return pb.ClassifyIntentRequest(message=pb.BuyerMessage(text=text, **message)).SerializeToString()
