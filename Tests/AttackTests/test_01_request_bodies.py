"""Issue #9 item 1: request bodies. A stream without (or with a wrong) token is answered
UNAUTHENTICATED at its HEADERS and its window is never opened, so four connections x 100 streams
that each try to send 4 MiB cannot make intentd hold them; with a valid token, buffered request
bytes are bounded per connection and per process (RESOURCE_EXHAUSTED for the stream that goes over)."""
from __future__ import annotations

import threading
import time

import pytest

from attack import (ATTACKER_TOKEN, CLASSIFY, Bystander, RssSampler, classify_body, latency_bound_ms, port, report)
from attackers import UnauthenticatedFlood, abort_when_rss_grows
from h2wire import OK, RESOURCE_EXHAUSTED, UNAUTHENTICATED, grpc_frame, h2c

MiB = 1 << 20
CONNECTIONS, STREAMS, BODY = 4, 100, 4 * MiB
RSS_LIMIT_MB = 150
ABORT_MB = 600  # stop attacking long before the machine suffers, should the bound be missing


def test_no_token_streams_are_answered_at_headers_and_their_bodies_not_buffered(servers):
    server = servers.start("item1-no-token")
    bystander = Bystander(server)
    baseline = bystander.p50_ms()
    abort = threading.Event()
    floods = [UnauthenticatedFlood(port(server), abort, streams=STREAMS, body=BODY) for _ in range(CONNECTIONS)]
    with RssSampler(server.process.pid) as rss:
        abort_when_rss_grows(rss, abort, ABORT_MB)
        for flood in floods:
            flood.start()
        time.sleep(0.2)
        during = bystander.p50_ms()
        for flood in floods:
            flood.join(30)
        abort.set()
    bystander.close()
    sent = sum(sum(flood.sent.values()) for flood in floods)
    streams = [stream for flood in floods if flood.wire for stream in flood.wire.streams.values()]
    statuses = [s.grpc_status for s in streams]
    opened = sum(s.window_updates for s in streams)
    report("item1 no-token 4x100x4MiB", rss_start_mb=rss.start_mb, rss_peak_mb=rss.peak_mb, rss_growth_mb=rss.growth_mb,
           client_sent_mb=sent / 1e6, p50_baseline_ms=baseline, p50_during_ms=during,
           unauthenticated=statuses.count(UNAUTHENTICATED), stream_window_updates=opened)

    assert server.alive(), f"intentd died:\n{server.log_text()}"
    for flood in floods:
        assert flood.error is None, f"attacker failed: {flood.error!r}"
    assert rss.growth_mb < RSS_LIMIT_MB, f"RSS grew {rss.growth_mb:.0f} MB (limit {RSS_LIMIT_MB})"
    assert len(streams) == CONNECTIONS * STREAMS
    assert statuses.count(UNAUTHENTICATED) == len(streams), \
        f"every stream must get UNAUTHENTICATED at its HEADERS; got {sorted(set(map(str, statuses)))}"
    assert opened == 0, f"the server opened {opened} unauthenticated streams' windows"
    assert max(max(flood.sent.values()) for flood in floods) <= MiB, "a stream sent more than its initial window"
    assert during <= latency_bound_ms(baseline), f"p50 {during:.2f} ms during the attack, {baseline:.2f} ms before"


# ----------------------------------------------------------------------------------------------
# With a valid token: buffered request bytes per connection and per process.

PER_CONNECTION = 3 * MiB
PER_PROCESS = 6 * MiB
MESSAGE = MiB  # server.max_receive_message_size here (the bounds must be at least that)
PART = 9 * MiB // 10  # 0.9 MiB of a 1 MiB message: unfinished, buffered, within one stream window


@pytest.fixture
def bounded_server(servers):
    server = servers.start("item1-buffered", server_config={
        "max_receive_message_size": MESSAGE,
        "max_buffered_request_bytes_per_connection": PER_CONNECTION,
        "max_buffered_request_bytes": PER_PROCESS,
    })
    yield server
    servers.stop(server)


def _unfinished_request(wire, token: str = ATTACKER_TOKEN) -> int:
    """A ClassifyIntent stream that has sent PART bytes of a MESSAGE-byte message and waits."""
    sid = wire.grpc_headers(CLASSIFY, token)
    payload = grpc_frame(bytes(MESSAGE - 5))[:PART]
    sent = 0
    deadline = time.monotonic() + 10
    while sent < len(payload):
        sent += wire.send_data(sid, payload[sent:])
        if sent < len(payload):
            assert time.monotonic() < deadline, f"stream {sid}: the window stayed shut at {sent} bytes"
            wire.pump(0.05)
    return sid


def _small_call(wire) -> int:
    sid = wire.grpc_headers(CLASSIFY, ATTACKER_TOKEN)
    wire.send_data(sid, grpc_frame(classify_body()), end_stream=True)
    return sid


def test_buffered_request_bytes_per_connection_are_bounded(bounded_server):
    wire = h2c(port(bounded_server))
    held = [_unfinished_request(wire) for _ in range(3)]  # 2.7 MiB: under the bound
    wire.pump(0.5)
    assert all(wire.streams[sid].grpc_status is None and wire.streams[sid].reset is None for sid in held), \
        [wire.streams[sid].describe() for sid in held]
    over = _unfinished_request(wire)  # 3.6 MiB: over
    took = wire.until(lambda: wire.streams[over].closed, 5, "the stream over the bound to end")
    stream = wire.streams[over]
    report("item1 per-connection buffered bound", bound_mib=PER_CONNECTION / MiB, status=stream.grpc_status,
           message=repr(stream.grpc_message), seconds=took)
    assert stream.grpc_status == RESOURCE_EXHAUSTED, stream.describe()
    assert all(not wire.streams[sid].closed for sid in held), [wire.streams[sid].describe() for sid in held]
    # The bytes of the refused stream are given back: a small call still fits.
    small = _small_call(wire)
    wire.until(lambda: wire.streams[small].closed, 10, "the small call")
    assert wire.streams[small].grpc_status == OK, wire.streams[small].describe()
    wire.close()
    assert bounded_server.alive()


def test_buffered_request_bytes_per_process_are_bounded(bounded_server):
    wires = [h2c(port(bounded_server)) for _ in range(4)]
    held = [(wire, _unfinished_request(wire)) for wire in wires[:3] for _ in range(2)]  # 5.4 MiB in all
    for wire in wires:
        wire.pump(0.2)
    assert all(wire.streams[sid].grpc_status is None for wire, sid in held), \
        [wire.streams[sid].describe() for wire, sid in held]
    last = wires[3]
    over = _unfinished_request(last)  # 6.3 MiB: over the process bound, under the connection's
    took = last.until(lambda: last.streams[over].closed, 5, "the stream over the process bound to end")
    stream = last.streams[over]
    report("item1 per-process buffered bound", bound_mib=PER_PROCESS / MiB, status=stream.grpc_status,
           message=repr(stream.grpc_message), seconds=took)
    assert stream.grpc_status == RESOURCE_EXHAUSTED, stream.describe()
    for wire in wires:
        wire.pump(0.1)
    assert all(not wire.streams[sid].closed for wire, sid in held), [wire.streams[sid].describe() for wire, sid in held]
    small = _small_call(last)
    last.until(lambda: last.streams[small].closed, 10, "the small call")
    assert last.streams[small].grpc_status == OK, last.streams[small].describe()
    for wire in wires:
        wire.close()
    assert bounded_server.alive()
