"""Fixtures of the attack tests: the intentd binary (INTENTD, set by Tools/run-attack-tests.sh to a
release build) and a factory of intentd processes, each over its own temporary deployment."""
from __future__ import annotations

import os

import pytest

import attack


@pytest.fixture(scope="session")
def intentd_binary() -> str:
    binary = os.environ.get("INTENTD") or str(attack.ROOT / ".build" / "release" / "intentd")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"no intentd binary at {binary}: set INTENTD or run Tools/run-attack-tests.sh")
    return binary


@pytest.fixture(scope="session")
def servers(intentd_binary, tmp_path_factory):
    servers = attack.Servers(intentd_binary, tmp_path_factory)
    yield servers
    servers.stop_all()


def pytest_terminal_summary(terminalreporter, exitstatus):
    if attack.REPORT:
        terminalreporter.write_sep("-", "attack numbers")
        for line in attack.REPORT:
            terminalreporter.write_line(line)
        path = os.environ.get("ATTACK_REPORT")
        if path:
            with open(path, "w") as out:
                out.write("\n".join(attack.REPORT) + "\n")
    if exitstatus != 0:
        terminalreporter.write_line("intentd logs (stderr) of this run are kept under pytest's temporary directory:")
        for server in attack.STARTED:
            state = "running" if server.alive() else f"exited {server.process.returncode}"
            terminalreporter.write_line(f"  {server.log} ({state})")
