"""Issue #9 item 3: zero-window streams. StreamConversations clients (valid token) that send buyer
messages but announce a zero stream window and never send WINDOW_UPDATE: intentd queues at most
server.max_queued_response_bytes_per_stream per stream and ..._per_connection per connection (the
handlers wait, so they stop taking requests, so flow control stops the client), and ends each stream
after --response-stall-timeout. 4 connections x 100 streams: RSS growth under 150 MB."""
from __future__ import annotations

import threading
import time

from hyperframe.frame import SettingsFrame

from attack import ATTACKER_TOKEN, STREAM, RssSampler, pb, port, report
from h2wire import RESOURCE_EXHAUSTED, Closed, grpc_frame, h2c

KiB, MiB = 1 << 10, 1 << 20
CONNECTIONS, STREAMS = 4, 100
PER_STREAM, PER_CONNECTION = 64 * KiB, 1 * MiB
STALL = 2
TRY_PER_STREAM = 2 * MiB  # what each stream tries to send (far more than the bounds let through)
RSS_LIMIT_MB = 150
ABORT_MB = 600

# A 16,000-byte message full of risk terms: the largest answer per request byte (~0.6).
TEXT = ("scam " * 3200)[:16000]


class NonReader(threading.Thread):
    """One connection of STREAMS conversations that send messages and read no answer."""

    def __init__(self, server_port: int, abort: threading.Event, seconds: float = 20.0):
        super().__init__(daemon=True)
        self.server_port, self.abort, self.seconds = server_port, abort, seconds
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
        for _ in range(STREAMS):
            sid = wire.grpc_headers(STREAM, ATTACKER_TOKEN)
            self.sent[sid] = 0
            body = b"".join(
                grpc_frame(pb.StreamConversationsRequest(message=pb.BuyerMessage(
                    text=TEXT, message_id=f"s{sid}-m{i}", conversation_id=f"c{sid}")).SerializeToString())
                for i in range(TRY_PER_STREAM // 16000 + 1))
            messages[sid] = body[:TRY_PER_STREAM]
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


def test_clients_that_never_open_their_window_are_bounded_and_cut_off(servers):
    server = servers.start("item3-zero-window", ["--response-stall-timeout", str(STALL)], server_config={
        "max_queued_response_bytes_per_stream": PER_STREAM,
        "max_queued_response_bytes_per_connection": PER_CONNECTION,
    })
    abort = threading.Event()
    clients = [NonReader(port(server), abort) for _ in range(CONNECTIONS)]
    with RssSampler(server.process.pid) as rss:
        def watch():
            while not abort.is_set():
                if rss.peak_mb - rss.start_mb > ABORT_MB:
                    abort.set()
                time.sleep(0.05)
        threading.Thread(target=watch, daemon=True).start()
        for client in clients:
            client.start()
        for client in clients:
            client.join(40)
        sending_done = max(client.last_send for client in clients)
        # Every stream holds unsent answers: each must be ended within the stall timeout (+ slack).
        deadline = sending_done + STALL + 8
        for client in clients:
            if client.wire is None:
                continue
            while time.monotonic() < deadline and not client.wire.eof and \
                    not all(client.wire.streams[sid].closed for sid in client.sent):
                client.wire.pump(0.1)
        abort.set()
    streams = [client.wire.streams[sid] for client in clients if client.wire for sid in client.sent]
    ended = [s for s in streams if s.closed]
    how = {}
    for s in ended:
        key = f"rst:{s.reset}" if s.reset is not None else f"status:{s.grpc_status}"
        how[key] = how.get(key, 0) + 1
    last_end = max((s.ended_at for s in ended if s.ended_at), default=sending_done) - sending_done
    sent_mb = sum(sum(client.sent.values()) for client in clients) / 1e6
    report("item3 zero-window 4x100", rss_start_mb=rss.start_mb, rss_peak_mb=rss.peak_mb, rss_growth_mb=rss.growth_mb,
           client_sent_mb=sent_mb, streams_ended=len(ended), ended_how=how,
           last_end_after_sending_s=last_end, data_received=sum(s.data_bytes for s in streams))

    assert server.alive(), f"intentd died:\n{server.log_text()}"
    for client in clients:
        assert client.error is None, f"client failed: {client.error!r}"
    assert rss.growth_mb < RSS_LIMIT_MB, f"RSS grew {rss.growth_mb:.0f} MB (limit {RSS_LIMIT_MB})"
    assert len(streams) == CONNECTIONS * STREAMS
    assert len(ended) == len(streams), \
        f"{len(streams) - len(ended)} non-reading streams still open {STALL + 8} s after the last send"
    for s in ended:
        assert s.reset is not None or s.grpc_status == RESOURCE_EXHAUSTED, s.describe()
    servers.stop(server)
