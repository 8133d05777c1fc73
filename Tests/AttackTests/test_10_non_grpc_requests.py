"""Issue #9 item 10: RFC 9113 conformance for requests that are not gRPC (what h2spec checks). A
non-gRPC request gets a real HTTP status with a short text body in DATA, after the client's
END_STREAM; DATA on a stream the client already ended is STREAM_CLOSED; HEADERS on a stream id lower
than one already used is a connection error PROTOCOL_ERROR."""
from __future__ import annotations

import pytest
from hyperframe.frame import DataFrame

from attack import port, report
from h2wire import PROTOCOL_ERROR, STREAM_CLOSED, h2c


@pytest.fixture(scope="module")
def server(servers):
    server = servers.start("item10-http")
    yield server
    assert server.alive(), f"intentd died:\n{server.log_text()}"
    servers.stop(server)


def _request(wire, stream_id, method, path, extra=(), end_stream=True):
    headers = [(":method", method), (":scheme", "http"), (":path", path), (":authority", f"127.0.0.1:{wire.port}"),
               *extra]
    wire.headers(stream_id, headers, end_stream=end_stream)


def _body_text(stream) -> str:
    return bytes(stream.data).decode("utf-8", "replace")


def test_get_gets_405_with_a_text_body(server):
    wire = h2c(port(server))
    _request(wire, 1, "GET", "/")
    wire.until(lambda: wire.streams[1].closed, 5, "the answer to GET /")
    stream = wire.streams[1]
    report("item10 GET /", status=stream.status, content_type=stream.header("content-type"),
           body=repr(_body_text(stream)[:100]))
    assert stream.status == 405, stream.describe()
    assert stream.ended and stream.reset is None, stream.describe()
    assert stream.data_bytes > 0, "no body in DATA"
    assert (stream.header("content-type") or "").startswith("text/plain"), stream.describe()
    wire.close()


def test_post_of_another_content_type_is_answered_after_its_end_stream(server):
    wire = h2c(port(server))
    _request(wire, 1, "POST", "/x", [("content-type", "text/plain")], end_stream=False)
    wire.data_frame(1, b"hello, ")
    wire.pump(0.5)
    early = wire.streams[1].describe() if wire.streams[1].headers or wire.streams[1].closed else None
    wire.data_frame(1, b"world", end_stream=True)
    wire.until(lambda: wire.streams[1].closed, 5, "the answer to POST /x")
    stream = wire.streams[1]
    report("item10 POST /x text/plain", status=stream.status, answered_before_end_stream=early is not None,
           body=repr(_body_text(stream)[:100]))
    assert early is None, f"answered before the request's END_STREAM: {early}"
    assert stream.status == 415, stream.describe()
    assert stream.data_bytes > 0, "no body in DATA"
    assert stream.reset is None, stream.describe()
    wire.close()


def test_data_after_end_stream_is_stream_closed(server):
    wire = h2c(port(server))
    _request(wire, 1, "GET", "/")
    frame = DataFrame(1, data=b"more")
    wire.send(frame.serialize())
    wire.pump(1.0)
    stream = wire.streams[1]
    codes = [g.error_code for g in wire.goaways]
    report("item10 DATA after END_STREAM", reset=stream.reset, goaway=wire.goaway_text())
    assert stream.reset == STREAM_CLOSED or STREAM_CLOSED in codes, \
        f"no STREAM_CLOSED error: {stream.describe()}, goaway {wire.goaway_text()}"
    wire.close()


def test_headers_on_a_lower_stream_id_is_a_connection_protocol_error(server):
    wire = h2c(port(server))
    _request(wire, 5, "GET", "/")
    wire.until(lambda: wire.streams[5].closed, 5, "the answer on stream 5")
    _request(wire, 3, "GET", "/")
    wire.wait_closed(3)
    report("item10 HEADERS on a lower stream id", goaway=wire.goaway_text(), closed=wire.eof)
    assert wire.goaways and wire.goaways[-1].error_code == PROTOCOL_ERROR, f"goaway {wire.goaway_text()}"
    assert wire.goaways[-1].last_stream_id == 5, wire.goaway_text()
    wire.close()
