"""A hand-driven HTTP/2 client (h2c, prior knowledge) for hostile peers: frames are built and parsed
with hyperframe and header blocks coded with hpack (the libraries under hyper-h2), and nothing is
checked on the way out, so a test can send what no conforming client would (DATA after END_STREAM,
a lower stream id, a 20 KiB header, a preface one byte a second, no PING ACK, a zero window).

What it keeps: the server's SETTINGS (acknowledged unless told not to), both flow-control windows
(from the server's SETTINGS and WINDOW_UPDATEs), and per stream what came back (headers, trailers,
DATA bytes, gRPC messages, RST_STREAM, WINDOW_UPDATEs). Flow-controlled sends (`send_data`) stop at
the window; `data_frame` ignores it."""
from __future__ import annotations

import select
import socket
import struct
import time
from dataclasses import dataclass, field

import hpack
from hyperframe.frame import (ContinuationFrame, DataFrame, Frame, GoAwayFrame, HeadersFrame, PingFrame,
                              RstStreamFrame, SettingsFrame, WindowUpdateFrame)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

# Error codes (RFC 9113 §7).
NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR = 0x0, 0x1, 0x2, 0x3
STREAM_CLOSED, REFUSED_STREAM, CANCEL, ENHANCE_YOUR_CALM = 0x5, 0x7, 0x8, 0xB
ERROR_NAMES = {0x0: "NO_ERROR", 0x1: "PROTOCOL_ERROR", 0x2: "INTERNAL_ERROR", 0x3: "FLOW_CONTROL_ERROR",
               0x4: "SETTINGS_TIMEOUT", 0x5: "STREAM_CLOSED", 0x6: "FRAME_SIZE_ERROR", 0x7: "REFUSED_STREAM",
               0x8: "CANCEL", 0x9: "COMPRESSION_ERROR", 0xA: "CONNECT_ERROR", 0xB: "ENHANCE_YOUR_CALM",
               0xC: "INADEQUATE_SECURITY", 0xD: "HTTP_1_1_REQUIRED"}

# gRPC status codes used by the tests.
OK, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE, UNAUTHENTICATED = 0, 4, 8, 14, 16


def grpc_frame(payload: bytes, compressed: bool = False) -> bytes:
    """One gRPC length-prefixed message."""
    return bytes([1 if compressed else 0]) + struct.pack(">I", len(payload)) + payload


@dataclass
class Stream:
    """What the server sent on one stream."""
    id: int
    headers: list[dict[str, str]] = field(default_factory=list)  # each HEADERS block (response, trailers)
    data: bytearray = field(default_factory=bytearray)
    data_bytes: int = 0
    ended: bool = False  # END_STREAM from the server
    reset: int | None = None  # RST_STREAM error code
    window_updates: int = 0  # WINDOW_UPDATEs the server sent for this stream
    first_headers_at: float | None = None
    ended_at: float | None = None
    send_window: int = 0

    @property
    def closed(self) -> bool:
        return self.ended or self.reset is not None

    @property
    def status(self) -> int | None:
        """The :status of the response, if any came."""
        for block in self.headers:
            if ":status" in block:
                return int(block[":status"])
        return None

    @property
    def grpc_status(self) -> int | None:
        """grpc-status from the trailers (or a Trailers-Only response)."""
        for block in self.headers:
            if "grpc-status" in block:
                return int(block["grpc-status"])
        return None

    @property
    def grpc_message(self) -> str:
        for block in self.headers:
            if "grpc-message" in block:
                return block["grpc-message"]
        return ""

    def header(self, name: str) -> str | None:
        for block in self.headers:
            if name in block:
                return block[name]
        return None

    def messages(self) -> list[tuple[bool, bytes]]:
        """The complete gRPC messages received so far: (compressed flag, payload)."""
        out, buffer = [], bytes(self.data)
        while len(buffer) >= 5:
            size = int.from_bytes(buffer[1:5], "big")
            if len(buffer) < 5 + size:
                break
            out.append((buffer[0] == 1, buffer[5:5 + size]))
            buffer = buffer[5 + size:]
        return out

    def describe(self) -> str:
        end = f"reset {ERROR_NAMES.get(self.reset, self.reset)}" if self.reset is not None else (
            "ended" if self.ended else "open")
        return f"stream {self.id}: {end}, headers {self.headers}, {self.data_bytes} DATA bytes"


class Closed(Exception):
    """The server closed the connection."""


class H2Wire:
    """One h2c connection to 127.0.0.1:port."""

    def __init__(self, port: int, *, connect_timeout: float = 10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=connect_timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.port = port
        self.encoder = hpack.Encoder()
        self.decoder = hpack.Decoder()
        self.decoder.max_allowed_table_size = 1 << 16
        self.decoder.max_header_list_size = 1 << 20
        self.buffer = b""
        self.streams: dict[int, Stream] = {}
        self.next_stream_id = 1
        self.server_settings: dict[int, int] = {}
        self.server_settings_seen = False
        self.connection_send_window = 65535
        self.server_initial_window = 65535
        self.max_frame_size = 16384
        self.goaway: GoAwayFrame | None = None  # the last GOAWAY
        self.goaway_at: float | None = None  # when the first came
        self.goaways: list[GoAwayFrame] = []
        self.eof = False
        self.eof_at: float | None = None
        self.pings_received = 0
        self.answer_pings = True
        self.give_credit = True  # WINDOW_UPDATE for every DATA byte received (off: the window stays shut)
        self._header_block: tuple[int, int, bytes] | None = None  # (stream, flags, fragment) awaiting CONTINUATION
        self.frames: list[Frame] = []  # every frame received, in order (kept when `keep_frames`)
        self.keep_frames = False
        self._corked: bytearray | None = None

    # -- sending ---------------------------------------------------------------------------

    def cork(self) -> None:
        """Holds what is sent until `uncork`, which writes it all at once (one segment, so the
        server reads the frames together)."""
        self._corked = bytearray()

    def uncork(self) -> None:
        held, self._corked = self._corked, None
        if held:
            self.send(bytes(held))

    def send(self, raw: bytes) -> None:
        if self._corked is not None:
            self._corked += raw
            return
        try:
            self.sock.sendall(raw)
        except (BrokenPipeError, ConnectionResetError) as error:
            self._mark_eof()
            raise Closed(str(error)) from error

    def send_frame(self, frame: Frame) -> None:
        self.send(frame.serialize())

    def handshake(self, settings: dict[int, int] | None = None, connection_window: int = 0,
                  timeout: float = 10.0) -> None:
        """Preface + SETTINGS (+ a connection WINDOW_UPDATE), then waits for the server's SETTINGS."""
        frame = SettingsFrame(0)
        frame.settings = dict(settings or {})
        out = PREFACE + frame.serialize()
        if connection_window:
            out += WindowUpdateFrame(0, window_increment=connection_window).serialize()
        self.send(out)
        self.until(lambda: self.server_settings_seen, timeout, "the server's SETTINGS")

    def headers(self, stream_id: int, headers: list[tuple[str, str]], end_stream: bool = False,
                block: bytes | None = None) -> None:
        """HEADERS (+ CONTINUATION when the block is bigger than a frame)."""
        if block is None:
            block = self.encoder.encode(headers)
        self.streams.setdefault(stream_id, Stream(stream_id, send_window=self.server_initial_window))
        chunk = self.max_frame_size
        first, rest = block[:chunk], block[chunk:]
        frame = HeadersFrame(stream_id, data=first)
        if not rest:
            frame.flags.add("END_HEADERS")
        if end_stream:
            frame.flags.add("END_STREAM")
        out = frame.serialize()
        while rest:
            piece, rest = rest[:chunk], rest[chunk:]
            continuation = ContinuationFrame(stream_id, data=piece)
            if not rest:
                continuation.flags.add("END_HEADERS")
            out += continuation.serialize()
        self.send(out)
        self.next_stream_id = max(self.next_stream_id, stream_id + 2)

    def grpc_headers(self, path: str, token: str | None = None, extra: list[tuple[str, str]] = (),
                     end_stream: bool = False, stream_id: int | None = None,
                     authorization: str | None = None) -> int:
        """A gRPC request's HEADERS on a new stream; returns the stream id."""
        stream_id = stream_id or self.next_stream_id
        headers = [(":method", "POST"), (":scheme", "http"), (":path", path),
                   (":authority", f"127.0.0.1:{self.port}"), ("content-type", "application/grpc"), ("te", "trailers")]
        if authorization is not None:
            headers.append(("authorization", authorization))
        elif token is not None:
            headers.append(("authorization", f"Bearer {token}"))
        headers += list(extra)
        self.headers(stream_id, headers, end_stream)
        return stream_id

    def data_frame(self, stream_id: int, payload: bytes, end_stream: bool = False) -> None:
        """One DATA frame, flow control ignored (the windows are still charged)."""
        frame = DataFrame(stream_id, data=payload)
        if end_stream:
            frame.flags.add("END_STREAM")
        self.connection_send_window -= len(payload)
        if stream_id in self.streams:
            self.streams[stream_id].send_window -= len(payload)
        self.send(frame.serialize())

    def sendable(self, stream_id: int) -> int:
        stream = self.streams[stream_id]
        return max(0, min(self.connection_send_window, stream.send_window, self.max_frame_size))

    def send_data(self, stream_id: int, payload: bytes, end_stream: bool = False) -> int:
        """DATA within the flow-control windows, in frames of at most the frame size; returns the
        bytes sent (fewer than len(payload) when a window ran out). END_STREAM only with the last byte."""
        sent = 0
        out = bytearray()
        stream = self.streams[stream_id]
        while sent < len(payload):
            room = min(self.connection_send_window, stream.send_window, self.max_frame_size, len(payload) - sent)
            if room <= 0:
                break
            piece = payload[sent:sent + room]
            sent += room
            frame = DataFrame(stream_id, data=piece)
            if end_stream and sent == len(payload):
                frame.flags.add("END_STREAM")
            out += frame.serialize()
            self.connection_send_window -= room
            stream.send_window -= room
        if end_stream and not payload:
            frame = DataFrame(stream_id, data=b"")
            frame.flags.add("END_STREAM")
            out += frame.serialize()
        if out:
            self.send(bytes(out))
        return sent

    def rst(self, stream_id: int, code: int = CANCEL) -> None:
        self.send_frame(RstStreamFrame(stream_id, error_code=code))

    def window_update(self, stream_id: int, increment: int) -> None:
        self.send_frame(WindowUpdateFrame(stream_id, window_increment=increment))

    # -- receiving -------------------------------------------------------------------------

    def _mark_eof(self) -> None:
        if not self.eof:
            self.eof = True
            self.eof_at = time.monotonic()

    def _fill(self, timeout: float) -> bool:
        """Reads what is there (waiting up to timeout); False on timeout."""
        if self.eof:
            return False
        ready, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not ready:
            return False
        try:
            chunk = self.sock.recv(1 << 20)
        except (ConnectionResetError, OSError):
            chunk = b""
        if not chunk:
            self._mark_eof()
            return False
        self.buffer += chunk
        return True

    def _next_frame(self) -> Frame | None:
        if len(self.buffer) < 9:
            return None
        length = int.from_bytes(self.buffer[:3], "big")
        if len(self.buffer) < 9 + length:
            return None
        frame, _ = Frame.parse_frame_header(memoryview(self.buffer[:9]))
        frame.parse_body(memoryview(self.buffer[9:9 + length]))
        self.buffer = self.buffer[9 + length:]
        return frame

    def read_frame(self, timeout: float) -> Frame | None:
        """The next frame, handled (SETTINGS ACKed, PINGs answered, windows kept); None on timeout or EOF."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self._next_frame()
            if frame is not None:
                self._handle(frame)
                return frame
            if not self._fill(deadline - time.monotonic()):
                if self.eof or time.monotonic() >= deadline:
                    return None

    def pump(self, timeout: float = 0.0) -> int:
        """Handles every frame that arrives within timeout (0: only what is already there)."""
        count = 0
        deadline = time.monotonic() + timeout
        while True:
            frame = self._next_frame()
            if frame is not None:
                self._handle(frame)
                count += 1
                continue
            if not self._fill(deadline - time.monotonic()):
                return count

    def until(self, predicate, timeout: float, what: str = "the condition") -> float:
        """Reads until predicate() holds; returns the seconds it took. AssertionError on timeout or EOF first."""
        start = time.monotonic()
        deadline = start + timeout
        while not predicate():
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}")
            if self.read_frame(left) is None and self.eof and not predicate():
                raise AssertionError(f"the server closed the connection before {what} "
                                     f"(goaway {self.goaway_text()})")
        return time.monotonic() - start

    def wait_closed(self, timeout: float) -> bool:
        """Reads (and discards) until EOF; True when the server closed within timeout."""
        deadline = time.monotonic() + timeout
        while not self.eof and time.monotonic() < deadline:
            self.read_frame(deadline - time.monotonic())
        return self.eof

    def stream(self, stream_id: int) -> Stream:
        return self.streams.setdefault(stream_id, Stream(stream_id, send_window=self.server_initial_window))

    def goaway_text(self) -> str:
        if self.goaway is None:
            return "none"
        return f"{ERROR_NAMES.get(self.goaway.error_code, self.goaway.error_code)} last={self.goaway.last_stream_id} " \
               f"{self.goaway.additional_data!r}"

    def _handle(self, frame: Frame) -> None:
        now = time.monotonic()
        if self.keep_frames:
            self.frames.append(frame)
        if isinstance(frame, SettingsFrame):
            if "ACK" not in frame.flags:
                self.server_settings.update(frame.settings)
                if SettingsFrame.INITIAL_WINDOW_SIZE in frame.settings:
                    new = frame.settings[SettingsFrame.INITIAL_WINDOW_SIZE]
                    for stream in self.streams.values():
                        stream.send_window += new - self.server_initial_window
                    self.server_initial_window = new
                if SettingsFrame.MAX_FRAME_SIZE in frame.settings:
                    self.max_frame_size = frame.settings[SettingsFrame.MAX_FRAME_SIZE]
                self.server_settings_seen = True
                ack = SettingsFrame(0)
                ack.flags.add("ACK")
                self._send_quietly(ack.serialize())
        elif isinstance(frame, PingFrame):
            if "ACK" not in frame.flags:
                self.pings_received += 1
                if self.answer_pings:
                    ack = PingFrame(0, opaque_data=frame.opaque_data)
                    ack.flags.add("ACK")
                    self._send_quietly(ack.serialize())
        elif isinstance(frame, WindowUpdateFrame):
            if frame.stream_id == 0:
                self.connection_send_window += frame.window_increment
            else:
                stream = self.stream(frame.stream_id)
                stream.send_window += frame.window_increment
                stream.window_updates += 1
        elif isinstance(frame, GoAwayFrame):
            self.goaway = frame
            self.goaway_at = self.goaway_at or now
            self.goaways.append(frame)
        elif isinstance(frame, RstStreamFrame):
            stream = self.stream(frame.stream_id)
            stream.reset = frame.error_code
            stream.ended_at = stream.ended_at or now
        elif isinstance(frame, (HeadersFrame, ContinuationFrame)):
            if isinstance(frame, HeadersFrame):
                self._header_block = (frame.stream_id, set(frame.flags), bytes(frame.data))
            elif self._header_block is not None:
                stream_id, flags, fragment = self._header_block
                self._header_block = (stream_id, flags, fragment + bytes(frame.data))
            if "END_HEADERS" in frame.flags and self._header_block is not None:
                stream_id, flags, block = self._header_block
                self._header_block = None
                decoded = self.decoder.decode(block, raw=True)
                stream = self.stream(stream_id)
                stream.headers.append({k.decode("latin-1"): v.decode("latin-1") for k, v in decoded})
                stream.first_headers_at = stream.first_headers_at or now
                if "END_STREAM" in flags:
                    stream.ended = True
                    stream.ended_at = stream.ended_at or now
        elif isinstance(frame, DataFrame):
            stream = self.stream(frame.stream_id)
            stream.data += frame.data
            stream.data_bytes += len(frame.data)
            if "END_STREAM" in frame.flags:
                stream.ended = True
                stream.ended_at = stream.ended_at or now
            flow = frame.flow_controlled_length
            if flow and self.give_credit:
                out = WindowUpdateFrame(0, window_increment=flow).serialize()
                if not stream.closed:
                    out += WindowUpdateFrame(frame.stream_id, window_increment=flow).serialize()
                self._send_quietly(out)

    def _send_quietly(self, raw: bytes) -> None:
        try:
            self.sock.sendall(raw)
        except OSError:
            self._mark_eof()

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def h2c(port: int, *, settings: dict[int, int] | None = None, connection_window: int = 1 << 24) -> H2Wire:
    """A connected, handshaken client with big receive windows (unless settings say otherwise)."""
    wire = H2Wire(port)
    wire.handshake({SettingsFrame.INITIAL_WINDOW_SIZE: 1 << 24, **(settings or {})}, connection_window)
    return wire
