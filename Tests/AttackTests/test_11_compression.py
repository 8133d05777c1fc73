"""Issue #9 item 11: compression on request. A client that sends no grpc-accept-encoding but asks
for a compressed response in the request message (grpc.testing.TestService with --test-service)
gets it gzip-compressed: the message's compressed flag is 1 and grpc-encoding is gzip, as the gRPC
compression doc says (compress when asked unless the client is known not to support it)."""
from __future__ import annotations

import gzip

import pytest

from attack import port, report
from harness import length_delimited, varint
from h2wire import OK, grpc_frame, h2c

UNARY = "/grpc.testing.TestService/UnaryCall"
STREAMING = "/grpc.testing.TestService/StreamingOutputCall"
SIZE = 1000


def _bool_value(value: bool) -> bytes:
    return b"\x08\x01" if value else b""


def simple_request(compressed: bool) -> bytes:
    """grpc.testing.SimpleRequest: response_type COMPRESSABLE (1), response_size (2),
    response_compressed (6, a BoolValue)."""
    return (varint(1 << 3) + varint(0) + varint(2 << 3) + varint(SIZE)
            + length_delimited(6, _bool_value(compressed)))


def streaming_request(compressed: bool) -> bytes:
    """grpc.testing.StreamingOutputCallRequest with one ResponseParameters {size (1), compressed (3)}."""
    parameters = varint(1 << 3) + varint(SIZE) + length_delimited(3, _bool_value(compressed))
    return length_delimited(2, parameters)


@pytest.fixture(scope="module")
def server(servers):
    server = servers.start("item11-test-service", ["--test-service"], tokens=False)
    yield server
    assert server.alive(), f"intentd died:\n{server.log_text()}"
    servers.stop(server)


def _call(server, path: str, body: bytes):
    wire = h2c(port(server))
    sid = wire.grpc_headers(path)  # no grpc-accept-encoding, no grpc-encoding
    wire.send_data(sid, grpc_frame(body), end_stream=True)
    wire.until(lambda: wire.streams[sid].closed, 10, f"the answer to {path}")
    wire.close()
    return wire.streams[sid]


def _payload_body_size(response: bytes) -> int:
    """The length of SimpleResponse/StreamingOutputCallResponse.payload.body (field 1, then field 2)."""
    assert response[0] == 0x0A, response[:8]
    payload, _ = _read_length_delimited(response, 1)
    index = 0
    while index < len(payload):
        tag = payload[index]
        if tag == 0x12:
            body, _ = _read_length_delimited(payload, index + 1)
            return len(body)
        index += 2  # type: varint field 1, one byte
    return 0


def _read_length_delimited(data: bytes, index: int) -> tuple[bytes, int]:
    length, shift = 0, 0
    while True:
        byte = data[index]
        index += 1
        length |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            break
    return data[index:index + length], index + length


@pytest.mark.parametrize("path,request_of", [(UNARY, simple_request), (STREAMING, streaming_request)],
                         ids=["unary", "streaming"])
def test_a_compressed_response_is_sent_when_asked_without_grpc_accept_encoding(server, path, request_of):
    stream = _call(server, path, request_of(True))
    messages = stream.messages()
    report(f"item11 {path.rsplit('/', 1)[1]} response_compressed", status=stream.grpc_status,
           grpc_encoding=stream.header("grpc-encoding"), flags=[int(c) for c, _ in messages])
    assert stream.grpc_status == OK, stream.describe()
    assert len(messages) == 1, stream.describe()
    compressed, payload = messages[0]
    assert stream.header("grpc-encoding") == "gzip", stream.describe()
    assert compressed, "the message's compressed flag is 0"
    assert _payload_body_size(gzip.decompress(payload)) == SIZE


@pytest.mark.parametrize("path,request_of", [(UNARY, simple_request), (STREAMING, streaming_request)],
                         ids=["unary", "streaming"])
def test_an_uncompressed_response_when_not_asked(server, path, request_of):
    stream = _call(server, path, request_of(False))
    messages = stream.messages()
    assert stream.grpc_status == OK, stream.describe()
    assert [c for c, _ in messages] == [False]
    assert _payload_body_size(messages[0][1]) == SIZE
