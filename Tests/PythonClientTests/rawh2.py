"""A minimal HTTP/2 (h2c, prior knowledge) gRPC client over a plain socket, for what grpcio cannot
do on purpose: a subscriber that stops reading. It announces a tiny stream flow-control window,
so the server can send only a few bytes on the stream until `open_window` is called; everything
else about the protocol is done by hand (HPACK literals without Huffman coding, no dynamic table)."""
from __future__ import annotations

import socket
import struct

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE = 0x0, 0x1, 0x3, 0x4, 0x6, 0x7, 0x8
END_STREAM, ACK, END_HEADERS, PADDED, PRIORITY_FLAG = 0x1, 0x1, 0x4, 0x8, 0x20
SETTINGS_INITIAL_WINDOW_SIZE = 0x4


def _integer(value: int, prefix_bits: int, first: int = 0) -> bytes:
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first | value])
    out = bytearray([first | limit])
    value -= limit
    while value >= 128:
        out.append(value % 128 + 128)
        value //= 128
    out.append(value)
    return bytes(out)


def _literal(name: str, value: str) -> bytes:
    """Literal header field without indexing, new name (RFC 7541 6.2.2), no Huffman coding."""
    n, v = name.encode(), value.encode()
    return b"\x00" + _integer(len(n), 7) + n + _integer(len(v), 7) + v


def frame(kind: int, flags: int, stream: int, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


class RawGRPCStream:
    """One gRPC call on stream 1 of a fresh h2c connection."""

    def __init__(self, port: int, path: str, metadata: list[tuple[str, str]], initial_window: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self._buffer = b""
        self._pending = b""
        self._ended = False
        self.data_bytes = 0  # DATA payload bytes received on stream 1
        settings = struct.pack(">HI", SETTINGS_INITIAL_WINDOW_SIZE, initial_window)
        self.sock.sendall(PREFACE + frame(SETTINGS, 0, 0, settings))
        # Wait for the server's SETTINGS and acknowledge them, as every client must.
        while True:
            kind, flags, _, _ = self.read_frame()
            if kind == SETTINGS and not flags & ACK:
                self.sock.sendall(frame(SETTINGS, ACK, 0, b""))
                break
        headers = [(":method", "POST"), (":scheme", "http"), (":path", path),
                   (":authority", f"127.0.0.1:{port}"), ("content-type", "application/grpc"), ("te", "trailers"),
                   *metadata]
        block = b"".join(_literal(name, value) for name, value in headers)
        self.sock.sendall(frame(HEADERS, END_HEADERS, 1, block))

    def send_message(self, payload: bytes) -> None:
        self.sock.sendall(frame(DATA, 0, 1, b"\x00" + struct.pack(">I", len(payload)) + payload))

    def open_window(self, increment: int = 1 << 24) -> None:
        self.sock.sendall(frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", increment)) +
                          frame(WINDOW_UPDATE, 0, 1, struct.pack(">I", increment)))

    def _fill(self, count: int) -> None:
        while len(self._buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self._buffer += chunk

    def read_frame(self) -> tuple[int, int, int, bytes]:
        """The next frame; consumes nothing unless the whole frame has arrived (so a timeout
        while waiting loses no bytes)."""
        self._fill(9)
        length = int.from_bytes(self._buffer[:3], "big")
        self._fill(9 + length)
        header, payload = self._buffer[:9], self._buffer[9:9 + length]
        self._buffer = self._buffer[9 + length:]
        stream = int.from_bytes(header[5:9], "big") & 0x7FFFFFFF
        return header[3], header[4], stream, payload

    def messages(self, give_credit: bool = True):
        """Yields the gRPC messages of stream 1 as bytes, answering pings, until the stream ends.
        give_credit=False reads without sending WINDOW_UPDATE, so the window stays as small as it is."""
        while True:
            while len(self._pending) >= 5 and len(self._pending) >= 5 + int.from_bytes(self._pending[1:5], "big"):
                size = int.from_bytes(self._pending[1:5], "big")
                message, self._pending = self._pending[5:5 + size], self._pending[5 + size:]
                yield message
            if self._ended:
                return
            kind, flags, stream, payload = self.read_frame()
            if kind == PING and not flags & ACK:
                self.sock.sendall(frame(PING, ACK, 0, payload))
            elif kind == GOAWAY or (stream == 1 and kind == RST_STREAM):
                self._ended = True
            elif stream == 1 and kind == DATA:
                if flags & PADDED:
                    payload = payload[1:len(payload) - payload[0]]
                self._pending += payload
                self.data_bytes += len(payload)
                # Give the flow-control credit back so the server can keep sending.
                if payload and give_credit:
                    self.sock.sendall(frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", len(payload))) +
                                      frame(WINDOW_UPDATE, 0, 1, struct.pack(">I", len(payload))))
                if flags & END_STREAM:
                    self._ended = True
            elif stream == 1 and kind == HEADERS and flags & END_STREAM:
                self._ended = True

    def receive_without_credit(self, quiet_seconds: float) -> int:
        """Reads what the server sends until it has been quiet for `quiet_seconds`, without giving
        flow-control credit; returns the DATA bytes received on stream 1 in all (messages that
        completed stay queued for `messages`)."""
        self.sock.settimeout(quiet_seconds)
        try:
            while not self._ended:
                kind, flags, stream, payload = self.read_frame()
                if kind == PING and not flags & ACK:
                    self.sock.sendall(frame(PING, ACK, 0, payload))
                elif stream == 1 and kind == DATA:
                    if flags & PADDED:
                        payload = payload[1:len(payload) - payload[0]]
                    self._pending += payload
                    self.data_bytes += len(payload)
        except socket.timeout:
            pass
        finally:
            self.sock.settimeout(30)
        return self.data_bytes

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
