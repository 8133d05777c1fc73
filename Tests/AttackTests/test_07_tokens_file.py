"""Issue #9 item 7: the tokens file's permissions. Writable by group or others: intentd refuses to
start and says how to fix it (chmod); readable by others: it starts and warns on stderr; 0600: it
starts without a warning."""
from __future__ import annotations

import os
import re
import select
import subprocess

import pytest

from attack import make_deployment, report


def _run_briefly(binary: str, deployment, timeout: float = 20.0) -> tuple[int | None, str, str]:
    """Starts intentd; returns (exit status or None if it started and listened, stdout, stderr)."""
    args = [binary, "--host", "127.0.0.1", "--port", "0", *deployment.flags()]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    if not ready:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"intentd neither listened nor exited within {timeout} s:\n{out}{err}")
    line = process.stdout.readline()  # the first listening line, or "" when it exits
    if "listening" in line:
        process.terminate()
        out, err = process.communicate(timeout=timeout)
        return None, line + out, err
    out, err = process.communicate(timeout=timeout)
    return process.returncode, line + out, err


@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602], ids=["0666", "0620", "0602"])
def test_a_tokens_file_others_can_write_is_refused(intentd_binary, tmp_path, mode):
    deployment = make_deployment(tmp_path / "deployment", tokens_mode=mode)
    status, out, err = _run_briefly(intentd_binary, deployment)
    report(f"item7 tokens file {mode:04o}", exit_status=status, stderr=repr(err.strip()[-300:]))
    assert status is not None and status != 0, f"intentd started with a {mode:04o} tokens file:\n{out}{err}"
    assert "chmod" in err, f"the refusal does not say how to fix it:\n{err}"
    assert str(deployment.tokens_file) in err or "tokens" in err.lower(), err


def _token_warnings(err: str) -> list[str]:
    """Warnings about the tokens file's permissions (not, say, about legacy unsalted digests)."""
    return [line for line in err.splitlines() if re.search(r"warn", line, re.I) and re.search(r"token", line, re.I)
            and re.search(r"chmod|mode 0|permission|readable|can read", line, re.I)]


def test_a_tokens_file_others_can_read_starts_with_a_warning(intentd_binary, tmp_path):
    deployment = make_deployment(tmp_path / "deployment", tokens_mode=0o644)
    status, out, err = _run_briefly(intentd_binary, deployment)
    warnings = _token_warnings(err)
    report("item7 tokens file 0644", started=status is None, warnings=len(warnings),
           warning=repr(warnings[0][:300]) if warnings else "")
    assert status is None, f"intentd did not start with a 0644 tokens file (exit {status}):\n{err}"
    assert warnings, f"no warning about the readable tokens file on stderr:\n{err}"


def test_a_private_tokens_file_starts_without_a_warning(intentd_binary, tmp_path):
    deployment = make_deployment(tmp_path / "deployment", tokens_mode=0o600)
    status, out, err = _run_briefly(intentd_binary, deployment)
    assert status is None, f"intentd did not start with a 0600 tokens file (exit {status}):\n{err}"
    assert not _token_warnings(err), err
    assert os.stat(deployment.tokens_file).st_mode & 0o777 == 0o600
