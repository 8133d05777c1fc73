"""Fixtures: intentd processes over temporary deployments, and grpcio channels to them over h2c
and TLS. Run through Tools/run-python-client-tests.sh (which sets INTENTD, REPLYINTENT_CERTS,
REPLYINTENT_PY_GEN); run directly, the fixtures fall back to .build/debug/intentd, certificates made
with Certs/make-test-certs.sh and stubs generated at start-up."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import harness
from harness import ACME_TOKEN, GLOBEX_TOKEN, OPS_TOKEN, Client, Intentd, make_deployment

TRANSPORTS = ["h2c", "tls"]
STARTED: list[Intentd] = []  # every server of the session, for the summary


def pytest_terminal_summary(terminalreporter, exitstatus):
    if exitstatus != 0 and STARTED:
        terminalreporter.write_line("intentd logs (stderr) of this run:")
        for server in STARTED:
            state = "running" if server.alive() else f"exited {server.process.returncode}"
            terminalreporter.write_line(f"  {server.log} ({state})")


@pytest.fixture(scope="session")
def intentd_binary() -> str:
    binary = os.environ.get("INTENTD") or str(harness.ROOT / ".build" / "debug" / "intentd")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"no intentd binary at {binary}: set INTENTD or run Tools/run-python-client-tests.sh")
    return binary


@pytest.fixture(scope="session")
def certs(tmp_path_factory) -> Path:
    given = os.environ.get("REPLYINTENT_CERTS")
    if given:
        return Path(given)
    directory = tmp_path_factory.mktemp("certs")
    subprocess.run([str(harness.ROOT / "Certs" / "make-test-certs.sh"), str(directory)], check=True,
                   stdout=subprocess.DEVNULL)
    return directory


class Servers:
    """Starts intentd processes and stops them all at the end of the session."""

    def __init__(self, binary: str, certs: Path, factory):
        self.binary, self.certs, self.factory = binary, certs, factory
        self.started: list[Intentd] = []

    def start(self, name: str, *, tokens: bool = True, bundled_languages=None, extra=(), tls: bool = True,
              client_subject: str | None = None) -> Intentd:
        directory = self.factory.mktemp(name)
        deployment = make_deployment(directory / "deployment", tokens=tokens, bundled_languages=bundled_languages,
                                     client_subject=client_subject)
        server = Intentd(self.binary, deployment, self.certs if tls else None, directory / "intentd.log", list(extra))
        self.started.append(server)
        STARTED.append(server)
        return server

    def stop_all(self) -> None:
        for server in self.started:
            server.stop()


@pytest.fixture(scope="session")
def servers(intentd_binary, certs, tmp_path_factory):
    servers = Servers(intentd_binary, certs, tmp_path_factory)
    yield servers
    servers.stop_all()


@pytest.fixture(scope="session")
def server(servers) -> Intentd:
    """The multi-tenant server: tokens for acme, globex and ops (admin), the bundled templates."""
    return servers.start("main")


@pytest.fixture(scope="session")
def fallback_server(servers) -> Intentd:
    """Multi-tenant, but the bundled templates are only en.yaml: for the language fallback."""
    return servers.start("fallback", bundled_languages=["en"])


@pytest.fixture(scope="session")
def small_buffer_server(servers) -> Intentd:
    """Multi-tenant, keeping only 4 alerts per tenant: for resumes from too far back."""
    return servers.start("small-buffer", extra=["--alert-buffer", "4"])


@pytest.fixture(scope="session")
def single_tenant_server(servers) -> Intentd:
    """No tokens file: every caller is tenant "default" and an admin."""
    return servers.start("single", tokens=False)


@pytest.fixture(params=TRANSPORTS)
def transport(request) -> str:
    return request.param


class Channels:
    """Channels to one server over one transport, closed after the test."""

    def __init__(self, server: Intentd, transport: str):
        self.server, self.transport = server, transport
        self.opened = []

    def client(self, token: str | None, options=None) -> Client:
        # Each client its own TCP connection (grpcio shares connections between channels otherwise).
        options = [("grpc.use_local_subchannel_pool", 1), *(options or [])]
        channel = self.server.channel(self.transport, options)
        self.opened.append(channel)
        return Client(channel, token)

    def close(self) -> None:
        for channel in self.opened:
            channel.close()


@pytest.fixture
def connect(server, transport):
    channels = Channels(server, transport)
    yield channels.client
    channels.close()
    assert server.alive(), f"intentd exited during the test:\n{server.log_text()}"


@pytest.fixture
def acme(connect) -> Client:
    return connect(ACME_TOKEN)


@pytest.fixture
def globex(connect) -> Client:
    return connect(GLOBEX_TOKEN)


@pytest.fixture
def ops(connect) -> Client:
    return connect(OPS_TOKEN)


@pytest.fixture
def connect_fallback(fallback_server, transport):
    channels = Channels(fallback_server, transport)
    yield channels.client
    channels.close()
    assert fallback_server.alive(), f"intentd exited during the test:\n{fallback_server.log_text()}"


@pytest.fixture
def connect_small_buffer(small_buffer_server, transport):
    channels = Channels(small_buffer_server, transport)
    yield channels.client
    channels.close()
    assert small_buffer_server.alive(), f"intentd exited during the test:\n{small_buffer_server.log_text()}"


@pytest.fixture
def connect_single(single_tenant_server, transport):
    channels = Channels(single_tenant_server, transport)
    yield channels.client
    channels.close()
    assert single_tenant_server.alive(), f"intentd exited during the test:\n{single_tenant_server.log_text()}"
