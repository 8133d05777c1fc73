"""Issue #9 item 2: slow peers. A unary request that never ends is cut off by the request timeout,
a peer that stops answering PINGs by the keepalive timeout, an old connection by the maximum
connection age (graceful GOAWAY, then closed after the grace), and a slowloris preface by the
handshake timeout. Times here are short (--request-timeout 2, --keepalive-time 1 --keepalive-timeout 1,
--max-connection-age 2 --max-connection-age-grace 1); the handshake timeout is the fixed 10 s."""
from __future__ import annotations

import select
import socket
import time

import pytest

from attack import ATTACKER_TOKEN, CLASSIFY, STREAM, classify_body, port, report
from h2wire import DEADLINE_EXCEEDED, NO_ERROR, PREFACE, grpc_frame, h2c

REQUEST_TIMEOUT, KEEPALIVE_TIME, KEEPALIVE_TIMEOUT = 2, 1, 1
MAX_AGE, AGE_GRACE = 2, 1
HANDSHAKE_TIMEOUT = 10
SLOWLORIS_CONNECTIONS = 50


@pytest.fixture(scope="module")
def timeouts_server(servers):
    server = servers.start("item2-timeouts", ["--request-timeout", str(REQUEST_TIMEOUT),
                                              "--keepalive-time", str(KEEPALIVE_TIME),
                                              "--keepalive-timeout", str(KEEPALIVE_TIMEOUT)])
    yield server
    assert server.alive(), f"intentd died:\n{server.log_text()}"
    servers.stop(server)


@pytest.fixture(scope="module")
def aging_server(servers):
    server = servers.start("item2-age", ["--max-connection-age", str(MAX_AGE),
                                         "--max-connection-age-grace", str(AGE_GRACE)])
    yield server
    assert server.alive(), f"intentd died:\n{server.log_text()}"
    servers.stop(server)


def test_unary_request_whose_body_never_ends_gets_deadline_exceeded_and_is_reset(timeouts_server):
    wire = h2c(port(timeouts_server))
    sid = wire.grpc_headers(CLASSIFY, ATTACKER_TOKEN)
    wire.send_data(sid, grpc_frame(classify_body())[:-3])  # all but the last bytes, no END_STREAM
    start = time.monotonic()
    wire.until(lambda: wire.streams[sid].closed, REQUEST_TIMEOUT + 6, "the unfinished request to be ended")
    stream = wire.streams[sid]
    status_after = stream.ended_at - start
    try:
        wire.until(lambda: stream.reset is not None, 2, "RST_STREAM after the status")
    except AssertionError:
        pass
    report("item2 request timeout", timeout_s=float(REQUEST_TIMEOUT), ended_after_s=status_after,
           status=stream.grpc_status, reset=stream.reset)
    assert stream.grpc_status == DEADLINE_EXCEEDED, stream.describe()
    assert REQUEST_TIMEOUT - 0.5 <= status_after <= REQUEST_TIMEOUT + 3, f"ended after {status_after:.2f} s"
    assert stream.reset is not None, f"the stream was not reset: {stream.describe()}"
    wire.close()


def _open_conversation(server):
    wire = h2c(port(server))
    sid = wire.grpc_headers(STREAM, ATTACKER_TOKEN)  # a streaming call, open, sending nothing
    wire.pump(0.2)
    assert not wire.streams[sid].closed, wire.streams[sid].describe()
    return wire, sid


def test_connection_that_stops_answering_pings_is_closed(timeouts_server):
    wire, _ = _open_conversation(timeouts_server)
    wire.answer_pings = False
    start = time.monotonic()
    closed = wire.wait_closed(KEEPALIVE_TIME + KEEPALIVE_TIMEOUT + 8)
    after = (wire.eof_at or time.monotonic()) - start
    report("item2 keepalive", keepalive_s=float(KEEPALIVE_TIME + KEEPALIVE_TIMEOUT), closed_after_s=after,
           pings=wire.pings_received, goaway=wire.goaway_text())
    assert wire.pings_received >= 1, "the server never sent a PING"
    assert closed, "a connection that answers no PING stayed open"
    assert after <= KEEPALIVE_TIME + KEEPALIVE_TIMEOUT + 3, f"closed after {after:.2f} s"
    wire.close()


def test_connection_that_answers_pings_stays_open(timeouts_server):
    wire, sid = _open_conversation(timeouts_server)
    wire.pump(3 * (KEEPALIVE_TIME + KEEPALIVE_TIMEOUT))
    report("item2 keepalive answered", seconds=float(3 * (KEEPALIVE_TIME + KEEPALIVE_TIMEOUT)), pings=wire.pings_received)
    assert not wire.eof, f"closed although every PING was answered (goaway {wire.goaway_text()})"
    assert wire.pings_received >= 2, f"{wire.pings_received} PINGs in {3 * (KEEPALIVE_TIME + KEEPALIVE_TIMEOUT)} s"
    assert not wire.streams[sid].closed, wire.streams[sid].describe()
    wire.close()


def test_old_connection_gets_goaway_and_is_closed_after_the_grace(aging_server):
    start = time.monotonic()
    wire, sid = _open_conversation(aging_server)
    closed = wire.wait_closed(MAX_AGE * 1.1 + AGE_GRACE + 8)
    goaway_after = (wire.goaway_at - start) if wire.goaway_at else None
    closed_after = (wire.eof_at - start) if wire.eof_at else None
    report("item2 max connection age", age_s=float(MAX_AGE), grace_s=float(AGE_GRACE), goaway_after_s=goaway_after,
           closed_after_s=closed_after, goaways=len(wire.goaways), stream=wire.streams[sid].describe())
    assert wire.goaways, "no GOAWAY"
    assert all(g.error_code == NO_ERROR for g in wire.goaways), f"not a graceful GOAWAY: {wire.goaway_text()}"
    assert MAX_AGE * 0.9 - 0.3 <= goaway_after <= MAX_AGE * 1.1 + 1, f"GOAWAY after {goaway_after:.2f} s"
    assert closed, "the connection stayed open after its age and grace"
    assert closed_after - goaway_after <= AGE_GRACE + 2, \
        f"closed {closed_after - goaway_after:.2f} s after the GOAWAY (grace {AGE_GRACE} s)"
    wire.close()


def test_slowloris_prefaces_are_closed_by_the_handshake_timeout(timeouts_server):
    start = time.monotonic()
    sockets = {}
    for _ in range(SLOWLORIS_CONNECTIONS):
        sock = socket.create_connection(("127.0.0.1", port(timeouts_server)))
        sock.setblocking(False)
        sockets[sock] = 0  # preface bytes sent
    closed_at: dict[socket.socket, float] = {}
    next_byte = time.monotonic()
    limit = start + HANDSHAKE_TIMEOUT + 2
    while len(closed_at) < len(sockets) and time.monotonic() < limit + 1:
        if time.monotonic() >= next_byte:
            for sock, sent in sockets.items():
                if sock in closed_at or sent >= len(PREFACE):
                    continue
                try:
                    sock.send(PREFACE[sent:sent + 1])
                    sockets[sock] = sent + 1
                except OSError:
                    closed_at[sock] = time.monotonic() - start
            next_byte += 1.0
        open_ones = [s for s in sockets if s not in closed_at]
        readable, _, _ = select.select(open_ones, [], [], max(0.0, min(0.2, next_byte - time.monotonic())))
        for sock in readable:
            try:
                chunk = sock.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                closed_at[sock] = time.monotonic() - start
    # Meanwhile a real client still gets in.
    wire = h2c(port(timeouts_server))
    wire.close()
    times = sorted(closed_at.values())
    report("item2 slowloris", connections=SLOWLORIS_CONNECTIONS, closed=len(times),
           first_closed_s=times[0] if times else -1.0, last_closed_s=times[-1] if times else -1.0,
           preface_bytes_sent_max=max(sockets.values()))
    for sock in sockets:
        sock.close()
    assert len(times) == SLOWLORIS_CONNECTIONS, f"{SLOWLORIS_CONNECTIONS - len(times)} slowloris connections still open"
    assert times[-1] <= HANDSHAKE_TIMEOUT + 2, f"the last was closed after {times[-1]:.1f} s"
