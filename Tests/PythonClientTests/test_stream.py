"""StreamConversations over h2c and TLS: answers in order, corrections, per-item errors."""
import json

import grpc

from harness import TEXT, pb

TEXTS = [TEXT["en_order"], TEXT["es_order"], TEXT["th_size"], TEXT["id_order"], TEXT["thanks"]]


def test_fifty_messages_are_answered_in_order(acme):
    stream = acme.conversation()
    for i in range(50):
        stream.send_message(TEXTS[i % len(TEXTS)], f"m-{i}", conversation_id=f"c-{i % 7}")
    stream.half_close()
    end, responses = stream.status()
    assert end.code == grpc.StatusCode.OK, end
    kinds = [r.WhichOneof("kind") for r in responses]
    assert kinds == ["classification"] * 50, kinds
    assert [r.classification.message_id for r in responses] == [f"m-{i}" for i in range(50)]
    assert [r.classification.conversation_id for r in responses] == [f"c-{i % 7}" for i in range(50)]
    expected = ["order_status", "order_status", "size_question", "order_status", "thanks_goodbye"]
    assert [r.classification.intent for r in responses] == [expected[i % 5] for i in range(50)]


def test_answers_come_back_while_the_stream_stays_open(acme):
    stream = acme.conversation()
    for i in range(3):
        stream.send_message(TEXT["en_size"], f"live-{i}")
        c = stream.recv_kind("classification")
        assert (c.message_id, c.intent) == (f"live-{i}", "size_question")
    stream.half_close()
    end, rest = stream.status()
    assert end.code == grpc.StatusCode.OK and rest == []


def test_correction_is_recorded_with_the_previous_intent(acme, server):
    stream = acme.conversation()
    stream.send_message(TEXT["en_order"], "m-corr", conversation_id="c-corr")
    c = stream.recv_kind("classification")
    assert c.intent == "order_status"
    stream.send(pb.StreamConversationsRequest(correction=pb.AgentCorrection(
        message_id="m-corr", conversation_id="c-corr", intent="delivery_problem", agent_id="agent-7")))
    recorded = stream.recv_kind("correction_recorded")
    assert (recorded.message_id, recorded.previous_intent, recorded.corrected_intent) == \
        ("m-corr", "order_status", "delivery_problem")
    # A message this stream never classified: the previous intent is unknown.
    stream.send(pb.StreamConversationsRequest(correction=pb.AgentCorrection(
        message_id="m-elsewhere", intent="refund_request", agent_id="agent-7")))
    recorded = stream.recv_kind("correction_recorded")
    assert (recorded.message_id, recorded.previous_intent, recorded.corrected_intent) == \
        ("m-elsewhere", "", "refund_request")
    stream.half_close()
    end, rest = stream.status()
    assert end.code == grpc.StatusCode.OK and rest == []
    # The corrections log of the tenant has both, as JSON lines.
    log = server.deployment.tenants_dir / "acme" / "corrections.jsonl"
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    by_id = {entry.get("message_id"): entry for entry in entries}
    first = by_id["m-corr"]
    assert (first["tenant"], first["conversation_id"], first["previous_intent"], first["corrected_intent"],
            first["agent_id"]) == ("acme", "c-corr", "order_status", "delivery_problem", "agent-7"), first
    assert (by_id["m-elsewhere"]["previous_intent"], by_id["m-elsewhere"]["corrected_intent"]) == ("", "refund_request")
    assert TEXT["en_order"] not in json.dumps(entries)  # the log holds labels, never the buyer's words


def test_correction_with_an_unknown_intent_is_an_item_error(acme):
    stream = acme.conversation()
    stream.send(pb.StreamConversationsRequest(correction=pb.AgentCorrection(message_id="m-x", intent="teleport")))
    error = stream.recv_kind("error")
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert error.message_id == "m-x"
    assert "teleport" in error.message and "order_status" in error.message
    stream.send_message(TEXT["en_order"], "m-after")
    assert stream.recv_kind("classification").message_id == "m-after"
    stream.half_close()
    assert stream.status()[0].code == grpc.StatusCode.OK


def test_item_errors_keep_the_stream_alive(acme):
    stream = acme.conversation()
    stream.send_message(TEXT["en_order"], "ok-1")
    stream.send_message("", "empty-1")
    stream.send_message("   \n\t ", "blank-1")
    stream.send_message(TEXT["en_order"], "")  # streams need message ids
    stream.send_message(TEXT["en_order"], "bad-platform", platform=99)
    stream.send(pb.StreamConversationsRequest())  # no item at all
    stream.send_message("x" * 20000, "long-1")
    stream.send_message(TEXT["th_size"], "ok-2")
    stream.half_close()
    end, responses = stream.status()
    assert end.code == grpc.StatusCode.OK, end
    kinds = [r.WhichOneof("kind") for r in responses]
    assert kinds == ["classification"] + ["error"] * 6 + ["classification"], kinds
    errors = [r.error for r in responses[1:7]]
    invalid = grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert all(e.code == invalid for e in errors), errors
    assert [e.message_id for e in errors] == ["empty-1", "blank-1", "", "bad-platform", "", "long-1"]
    assert "message.text" in errors[0].message and "empty" in errors[0].message
    assert "whitespace" in errors[1].message
    assert "message_id" in errors[2].message
    assert "platform" in errors[3].message and "99" in errors[3].message
    assert "message" in errors[4].message
    assert "16384" in errors[5].message
    assert responses[0].classification.message_id == "ok-1"
    assert responses[-1].classification.message_id == "ok-2"
    assert responses[-1].classification.intent == "size_question"


def test_subscription_with_an_invalid_priority_is_an_item_error(acme):
    stream = acme.conversation()
    stream.subscribe(min_priority=7)
    error = stream.recv_kind("error")
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert "min_priority" in error.message
    stream.send_message(TEXT["en_order"], "still-ok")
    assert stream.recv_kind("classification").message_id == "still-ok"
    stream.half_close()
    assert stream.status()[0].code == grpc.StatusCode.OK
