"""Alerts over StreamConversations: subscriptions, alerts raised by other connections' calls,
priority filters, resume after a reconnect, gaps, tenant isolation, and a slow subscriber that
does not hold up a fast one."""
import grpc

from harness import ACME_TOKEN, GLOBEX_TOKEN, TEXT, bearer, pb, reply_of
from rawh2 import RawGRPCStream

STREAM_PATH = "/replyintent.v1.ReplyIntent/StreamConversations"


def subscribed(client, min_priority=0, resume_after=0):
    stream = client.conversation()
    stream.subscribe(min_priority, resume_after)
    return stream, stream.recv_kind("subscribed")


def raise_urgent(client, message_id, **fields):
    c = client.classify(TEXT["scam"], message_id=message_id, **fields)
    assert c.priority == pb.PRIORITY_URGENT
    return c


def test_subscriber_gets_alerts_from_another_connections_calls(acme, connect):
    stream, started = subscribed(acme)
    assert started.min_priority == pb.PRIORITY_HIGH  # unspecified means high
    assert started.next_sequence >= 1
    other = connect(ACME_TOKEN)
    c = raise_urgent(other, "al-1", conversation_id="conv-al", buyer_id="buyer-9", platform=pb.PLATFORM_TIKTOK_SHOP)
    alert = stream.recv_kind("alert")
    assert alert.sequence == started.next_sequence
    assert (alert.message_id, alert.conversation_id, alert.buyer_id) == ("al-1", "conv-al", "buyer-9")
    assert alert.platform == pb.PLATFORM_TIKTOK_SHOP
    assert alert.priority == pb.PRIORITY_URGENT
    assert alert.intent == c.intent
    assert list(alert.reasons) == list(c.priority_reasons)
    assert alert.raised_at_unix_ms > 1_700_000_000_000

    # SuggestReply and messages on other streams raise alerts too; normal messages do not.
    other.classify(TEXT["en_order"], message_id="al-normal")
    other.suggest(TEXT["scam"], message_id="al-2")
    sender = other.conversation()
    sender.send_message(TEXT["scam"], "al-3")
    assert sender.recv_kind("classification").priority == pb.PRIORITY_URGENT
    sender.half_close()
    assert sender.status()[0].code == grpc.StatusCode.OK
    second, third = stream.recv_kind("alert"), stream.recv_kind("alert")
    assert [(a.message_id, a.sequence) for a in (second, third)] == \
        [("al-2", started.next_sequence + 1), ("al-3", started.next_sequence + 2)]
    stream.cancel()


def test_min_priority_filters_alerts(acme, connect):
    urgent_only, started = subscribed(acme, min_priority=pb.PRIORITY_URGENT)
    assert started.min_priority == pb.PRIORITY_URGENT
    high_too, _ = subscribed(connect(ACME_TOKEN), min_priority=pb.PRIORITY_HIGH)
    other = connect(ACME_TOKEN)
    high = other.classify(TEXT["fake"], message_id="pf-high")
    assert high.priority == pb.PRIORITY_HIGH
    raise_urgent(other, "pf-urgent")
    alert = urgent_only.recv_kind("alert")
    assert (alert.message_id, alert.sequence) == ("pf-urgent", started.next_sequence + 1)  # the high one took a number
    first, second = high_too.recv_kind("alert"), high_too.recv_kind("alert")
    assert [(a.message_id, a.priority) for a in (first, second)] == \
        [("pf-high", pb.PRIORITY_HIGH), ("pf-urgent", pb.PRIORITY_URGENT)]
    urgent_only.cancel()
    high_too.cancel()


def test_resume_after_reconnect_gives_exactly_the_missed_alerts(connect):
    first_connection = connect(ACME_TOKEN)
    stream, started = subscribed(first_connection)
    publisher = connect(ACME_TOKEN)
    raise_urgent(publisher, "rs-0")
    seen = stream.recv_kind("alert")
    assert (seen.message_id, seen.sequence) == ("rs-0", started.next_sequence)
    stream.cancel()
    first_connection.channel.close()  # the subscriber goes away...

    for i in range(1, 4):  # ...alerts are raised meanwhile...
        raise_urgent(publisher, f"rs-{i}")

    again, restarted = subscribed(connect(ACME_TOKEN), resume_after=seen.sequence)  # ...and it comes back
    assert restarted.next_sequence == seen.sequence + 4
    assert restarted.oldest_buffered_sequence <= seen.sequence + 1
    missed = [again.recv_kind("alert") for _ in range(3)]
    assert [(a.message_id, a.sequence) for a in missed] == [(f"rs-{i}", seen.sequence + i) for i in range(1, 4)]
    raise_urgent(publisher, "rs-live")
    live = again.recv_kind("alert")  # the next one is the live alert: nothing repeated, nothing skipped
    assert (live.message_id, live.sequence) == ("rs-live", seen.sequence + 4)
    again.cancel()


def test_resume_from_too_far_back_reports_a_gap(connect_small_buffer):
    # This server keeps 4 alerts per tenant.
    probe, started = subscribed(connect_small_buffer(ACME_TOKEN))
    probe.cancel()
    base = started.next_sequence
    publisher = connect_small_buffer(ACME_TOKEN)
    for i in range(10):
        raise_urgent(publisher, f"gap-{i}")  # sequences base .. base+9
    stream, resumed = subscribed(connect_small_buffer(ACME_TOKEN), resume_after=base)
    assert resumed.next_sequence == base + 10
    assert resumed.oldest_buffered_sequence == base + 6
    gap = stream.recv_kind("gap")
    assert (gap.first_missed_sequence, gap.last_missed_sequence) == (base + 1, base + 5)
    kept = [stream.recv_kind("alert") for _ in range(4)]
    assert [(a.sequence, a.message_id) for a in kept] == [(base + i, f"gap-{i}") for i in range(6, 10)]
    stream.cancel()


def test_tenants_see_only_their_own_alerts(connect):
    acme_stream, acme_started = subscribed(connect(ACME_TOKEN))
    globex_stream, globex_started = subscribed(connect(GLOBEX_TOKEN))
    acme, globex = connect(ACME_TOKEN), connect(GLOBEX_TOKEN)
    raise_urgent(globex, "iso-g1")
    raise_urgent(acme, "iso-a1")
    raise_urgent(globex, "iso-g2")
    raise_urgent(acme, "iso-a2")
    raise_urgent(globex, "iso-g3")
    raise_urgent(acme, "iso-a3")
    got_acme = [acme_stream.recv_kind("alert") for _ in range(3)]
    got_globex = [globex_stream.recv_kind("alert") for _ in range(3)]
    assert [(a.message_id, a.sequence) for a in got_acme] == \
        [(f"iso-a{i}", acme_started.next_sequence + i - 1) for i in (1, 2, 3)]
    assert [(a.message_id, a.sequence) for a in got_globex] == \
        [(f"iso-g{i}", globex_started.next_sequence + i - 1) for i in (1, 2, 3)]
    acme_stream.cancel()
    globex_stream.cancel()


def test_slow_subscriber_does_not_slow_a_fast_one(server, connect):
    count = 300
    # The slow subscriber: a hand-made HTTP/2 client that allows the server 64 bytes on its stream
    # and then stops reading, as a client that never reads would.
    slow = RawGRPCStream(server.ports["h2c"], STREAM_PATH, bearer(ACME_TOKEN), initial_window=64)
    try:
        slow.send_message(pb.StreamConversationsRequest(subscribe=pb.AlertSubscription()).SerializeToString())
        first = reply_of(next(slow.messages(give_credit=False)))
        assert first.WhichOneof("kind") == "subscribed", first
        slow_start = first.subscribed.next_sequence

        fast, started = subscribed(connect(ACME_TOKEN))
        assert started.next_sequence == slow_start

        publisher = connect(ACME_TOKEN).conversation()
        for i in range(count):
            publisher.send_message(TEXT["scam"], f"slow-{i}")
        publisher.half_close()
        end, answers = publisher.status(timeout=60)
        assert end.code == grpc.StatusCode.OK, end
        assert len(answers) == count and all(a.classification.priority == pb.PRIORITY_URGENT for a in answers)

        alerts = [fast.recv_kind("alert") for _ in range(count)]
        assert [(a.sequence, a.message_id) for a in alerts] == \
            [(started.next_sequence + i, f"slow-{i}") for i in range(count)]
        fast.cancel()

        # The server kept to the slow client's window: at most 64 bytes of its stream were sent.
        assert slow.receive_without_credit(quiet_seconds=0.5) <= 64

        # The slow one was only behind: once it reads, it gets the same alerts in order.
        slow.open_window()
        behind = []
        for raw in slow.messages():
            behind.append(reply_of(raw))
            if len(behind) == count:
                break
        assert [r.WhichOneof("kind") for r in behind] == ["alert"] * count
        assert [(r.alert.sequence, r.alert.message_id) for r in behind] == \
            [(slow_start + i, f"slow-{i}") for i in range(count)]
    finally:
        slow.close()


def test_a_second_subscription_replaces_the_first(acme, connect):
    stream = acme.conversation()
    stream.subscribe(pb.PRIORITY_HIGH)
    stream.recv_kind("subscribed")
    stream.subscribe(pb.PRIORITY_URGENT)
    second = stream.recv_kind("subscribed")
    assert second.min_priority == pb.PRIORITY_URGENT
    other = connect(ACME_TOKEN)
    assert other.classify(TEXT["fake"], message_id="re-high").priority == pb.PRIORITY_HIGH
    raise_urgent(other, "re-urgent")
    raise_urgent(other, "re-urgent-2")
    got = [stream.recv_kind("alert") for _ in range(2)]  # once each, and not the high one
    assert [(a.message_id, a.sequence) for a in got] == \
        [("re-urgent", second.next_sequence + 1), ("re-urgent-2", second.next_sequence + 2)]
    stream.cancel()


def test_own_messages_raise_alerts_on_the_same_stream(acme):
    stream = acme.conversation()
    stream.subscribe()
    started = stream.recv_kind("subscribed")
    stream.send_message(TEXT["scam"], "own-1", conversation_id="own-conv")
    got = {}
    for _ in range(2):
        response = stream.recv()
        got[response.WhichOneof("kind")] = response
    assert set(got) == {"classification", "alert"}, got
    assert got["classification"].classification.message_id == "own-1"
    alert = got["alert"].alert
    assert (alert.message_id, alert.conversation_id, alert.sequence) == ("own-1", "own-conv", started.next_sequence)
    stream.cancel()


def test_half_closed_subscriber_keeps_receiving(acme, connect):
    stream, started = subscribed(acme)
    stream.half_close()  # agents subscribe and send nothing more
    raise_urgent(connect(ACME_TOKEN), "hc-1")
    alert = stream.recv_kind("alert")
    assert (alert.message_id, alert.sequence) == ("hc-1", started.next_sequence)
    stream.cancel()


def test_shutdown_ends_subscriptions_and_the_server_exits(servers, transport):
    from harness import Client
    server = servers.start("shutdown")
    client = Client(server.channel(transport), ACME_TOKEN)
    stream, _ = subscribed(client)
    server.stop()
    end, _ = stream.status(timeout=60)  # the stream ends (it does not hang)
    # A subscription never finishes by itself: after the drain time the server cancels it (as C++
    # gRPC's Shutdown(deadline) does) or ends it UNAVAILABLE; either tells the client to reconnect.
    assert end.code in (grpc.StatusCode.CANCELLED, grpc.StatusCode.UNAVAILABLE), end
    assert server.process.returncode == 0, server.log_text()
