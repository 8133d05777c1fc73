"""The hostile clients the attack tests and Tools/soak.sh share, each one connection in its own
thread (h2wire), and a watchdog that stops them should intentd's RSS run away."""
from __future__ import annotations

import threading
import time

from hyperframe.frame import SettingsFrame

from attack import ATTACKER_TOKEN, CLASSIFY, STREAM, RssSampler, pb
from h2wire import Closed, grpc_frame, h2c

KiB, MiB = 1 << 10, 1 << 20


class UnauthenticatedFlood(threading.Thread):
    """One connection: `streams` streams without a token (every other one with a wrong token), each
    sending `body` bytes of a unary ClassifyIntent request without END_STREAM, as far as flow control
    lets it; stops when every window stays shut for 1.5 s, after `seconds`, or when `abort` is set."""

    def __init__(self, server_port: int, abort: threading.Event, *, streams: int = 100, body: int = 4 * MiB,
                 seconds: float = 20.0):
        super().__init__(daemon=True)
        self.server_port, self.abort, self.seconds = server_port, abort, seconds
        self.streams, self.body = streams, body
        self.sent: dict[int, int] = {}
        self.wire = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._run()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.error = error

    def _run(self) -> None:
        wire = self.wire = h2c(self.server_port)
        body = grpc_frame(bytes(self.body - 5))
        for index in range(self.streams):
            authorization = None if index % 2 == 0 else "Bearer not-a-valid-token-0000"
            sid = wire.grpc_headers(CLASSIFY, authorization=authorization)
            self.sent[sid] = 0
        deadline = time.monotonic() + self.seconds
        last_progress = time.monotonic()
        while time.monotonic() < deadline and not self.abort.is_set():
            progress = 0
            for sid in self.sent:
                stream = wire.streams[sid]
                if stream.reset is not None or self.sent[sid] >= self.body:
                    continue
                try:
                    n = wire.send_data(sid, body[self.sent[sid]:self.sent[sid] + 64 * 1024])
                except Closed:
                    return
                self.sent[sid] += n
                progress += n
            wire.pump(0 if progress else 0.1)
            if progress:
                last_progress = time.monotonic()
            elif time.monotonic() - last_progress > 1.5 or wire.eof:
                break  # every window is shut (or every stream done)
        wire.pump(0.3)


# A 16,000-byte message full of risk terms: the largest answer per request byte (~0.6).
RISKY_TEXT = ("scam " * 3200)[:16000]


class NonReader(threading.Thread):
    """One connection of `streams` StreamConversations calls (with `token`) that each try to send
    `try_bytes` of buyer messages and read no answer: a zero stream window, no WINDOW_UPDATE. Stops
    when flow control has stopped every stream for 1 s, after `seconds`, or when `abort` is set."""

    def __init__(self, server_port: int, abort: threading.Event, *, token: str = ATTACKER_TOKEN, streams: int = 100,
                 try_bytes: int = 2 * MiB, seconds: float = 20.0):
        super().__init__(daemon=True)
        self.server_port, self.abort, self.seconds = server_port, abort, seconds
        self.token, self.streams, self.try_bytes = token, streams, try_bytes
        self.sent: dict[int, int] = {}
        self.last_send = time.monotonic()
        self.wire = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._run()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.error = error

    def _run(self) -> None:
        # Zero stream windows and the connection window left at its 65,535: the server can send no DATA.
        wire = self.wire = h2c(self.server_port, settings={SettingsFrame.INITIAL_WINDOW_SIZE: 0}, connection_window=0)
        wire.give_credit = False
        messages = {}
        for _ in range(self.streams):
            sid = wire.grpc_headers(STREAM, self.token)
            self.sent[sid] = 0
            body = b"".join(
                grpc_frame(pb.StreamConversationsRequest(message=pb.BuyerMessage(
                    text=RISKY_TEXT, message_id=f"s{sid}-m{i}", conversation_id=f"c{sid}")).SerializeToString())
                for i in range(self.try_bytes // 16000 + 1))
            messages[sid] = body[:self.try_bytes]
        deadline = time.monotonic() + self.seconds
        last_progress = time.monotonic()
        while time.monotonic() < deadline and not self.abort.is_set():
            progress = 0
            for sid, body in messages.items():
                if wire.streams[sid].closed or self.sent[sid] >= len(body):
                    continue
                try:
                    n = wire.send_data(sid, body[self.sent[sid]:self.sent[sid] + 64 * KiB])
                except Closed:
                    return
                self.sent[sid] += n
                progress += n
            wire.pump(0 if progress else 0.1)
            if progress:
                last_progress = self.last_send = time.monotonic()
            elif time.monotonic() - last_progress > 1.0 or wire.eof:
                break


def abort_when_rss_grows(rss: RssSampler, abort: threading.Event, limit_mb: float) -> threading.Thread:
    """Sets `abort` once the sampled RSS has grown by limit_mb (so that a missing bound does not take
    the machine down with it); returns the started watchdog thread, which ends with `abort`."""
    def watch() -> None:
        while not abort.is_set():
            if rss.peak_mb - rss.start_mb > limit_mb:
                abort.set()
            time.sleep(0.05)
    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread
