"""Issue #9 item 9: request headers and peers. Headers over max_header_list_size get a gRPC status
RESOURCE_EXHAUSTED (not RST_STREAM) and the connection goes on; `grpc-timeout: 0n` is
DEADLINE_EXCEEDED; an authorization value padded with spaces is malformed (RFC 9113 §8.2.1):
RST_STREAM PROTOCOL_ERROR and a log line that names it without the value; with
--max-connections-per-peer 100, 300 connections from 127.0.0.1: the 200 extra are closed at once
(GOAWAY ENHANCE_YOUR_CALM) and the first 100 keep working."""
from __future__ import annotations

import time

import pytest
from hyperframe.frame import SettingsFrame

from attack import ATTACKER_TOKEN, CLASSIFY, classify_body, port, report
from h2wire import (DEADLINE_EXCEEDED, ENHANCE_YOUR_CALM, NO_ERROR, OK, PROTOCOL_ERROR, RESOURCE_EXHAUSTED,
                    UNAUTHENTICATED, PREFACE, Closed, H2Wire, grpc_frame, h2c)

BIG_VALUE = "v" * (20 * 1024)  # over the 16 KiB max_header_list_size
PER_PEER, TOTAL = 100, 300


@pytest.fixture(scope="module")
def server(servers):
    server = servers.start("item9-headers")
    yield server
    assert server.alive(), f"intentd died:\n{server.log_text()}"
    servers.stop(server)


def _unary(wire, token=ATTACKER_TOKEN, extra=(), authorization=None) -> int:
    sid = wire.grpc_headers(CLASSIFY, token, list(extra), authorization=authorization)
    wire.send_data(sid, grpc_frame(classify_body()), end_stream=True)
    return sid


def _finish(wire, sid, timeout=10):
    wire.until(lambda: wire.streams[sid].closed, timeout, f"stream {sid} to end")
    return wire.streams[sid]


@pytest.mark.parametrize("token", [ATTACKER_TOKEN, None], ids=["valid-token", "no-token"])
def test_oversized_headers_get_resource_exhausted_status(server, token):
    wire = h2c(port(server))
    sid = _unary(wire, token, [("x-padding", BIG_VALUE)])
    stream = _finish(wire, sid)
    wire.pump(0.2)
    report(f"item9 20 KiB header ({'token' if token else 'no token'})", status=stream.grpc_status,
           reset=stream.reset, message=repr(stream.grpc_message))
    if token is not None:
        assert stream.grpc_status == RESOURCE_EXHAUSTED, stream.describe()
    else:
        assert stream.grpc_status in (RESOURCE_EXHAUSTED, UNAUTHENTICATED), stream.describe()
    assert stream.reset in (None, NO_ERROR), f"reset instead of a status: {stream.describe()}"
    # The connection (and its HPACK state) is fine afterwards.
    after = _finish(wire, _unary(wire))
    assert after.grpc_status == OK, after.describe()
    wire.close()


def test_grpc_timeout_of_zero_is_deadline_exceeded(server):
    wire = h2c(port(server))
    wire.cork()  # HEADERS and the whole body in one write: the call could complete at once
    sid = _unary(wire, extra=[("grpc-timeout", "0n")])
    wire.uncork()
    stream = _finish(wire, sid)
    report("item9 grpc-timeout 0n", status=stream.grpc_status)
    assert stream.grpc_status == DEADLINE_EXCEEDED, stream.describe()
    wire.close()


def test_padded_authorization_is_reset_and_logged_without_the_token(server):
    wire = h2c(port(server))
    sid = _unary(wire, authorization=f"Bearer {ATTACKER_TOKEN}  ")
    stream = _finish(wire, sid)
    time.sleep(0.3)
    log = server.log.read_text(errors="replace").splitlines()  # all of it (log_text() is the tail)
    lines = [line for line in log if "malformed" in line.lower() and "authorization" in line.lower()]
    leaked = [line for line in log if ATTACKER_TOKEN in line]
    report("item9 padded authorization", reset=stream.reset, status=stream.grpc_status,
           log_line=repr(lines[-1][:300]) if lines else "")
    assert stream.reset == PROTOCOL_ERROR, stream.describe()
    assert lines, f"no log line names the malformed authorization header:\n{server.log_text()[-3000:]}"
    assert not leaked, f"the token is in the log: {leaked[0]}"
    wire.close()


def test_connections_over_the_per_peer_limit_are_closed_at_once(servers):
    server = servers.start("item9-peers", ["--max-connections-per-peer", str(PER_PEER)])
    kept = [h2c(port(server)) for _ in range(PER_PEER)]
    extra, opened_at = [], {}
    for _ in range(TOTAL - PER_PEER):
        wire = H2Wire(port(server))
        opened_at[wire] = time.monotonic()
        try:
            wire.send(PREFACE + SettingsFrame(0).serialize())
        except Closed:
            pass  # closed before the preface
        extra.append(wire)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and not all(w.eof for w in extra):
        for wire in extra:
            if not wire.eof:
                wire.pump(0)
        time.sleep(0.01)
    took = [(w.eof_at - opened_at[w]) if w.eof else 3.0 for w in extra]
    for wire in extra:
        wire.close()
    refused = [w for w in extra if w.eof]
    calm = [w for w in extra if w.goaways and w.goaways[-1].error_code == ENHANCE_YOUR_CALM]
    results = [_finish(wire, _unary(wire)).grpc_status for wire in kept]
    report("item9 300 connections, 100 per peer", kept_ok=results.count(OK), extra_closed=len(refused),
           extra_goaway_enhance_your_calm=len(calm), slowest_close_s=max(took))
    for wire in kept:
        wire.close()
    assert server.alive(), f"intentd died:\n{server.log_text()}"
    assert results.count(OK) == PER_PEER, f"the first {PER_PEER} connections: {results}"
    assert len(refused) == TOTAL - PER_PEER, f"{TOTAL - PER_PEER - len(refused)} extra connections stayed open"
    assert max(took) < 2.0, f"an extra connection took {max(took):.2f} s to be closed"
    assert len(calm) == TOTAL - PER_PEER, \
        f"{TOTAL - PER_PEER - len(calm)} extra connections closed without GOAWAY ENHANCE_YOUR_CALM"
    servers.stop(server)
