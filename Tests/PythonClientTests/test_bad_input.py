"""Bad input over h2c and TLS: each case gets a clear status, and the connection and the server
keep answering afterwards."""
import grpc
import pytest

from harness import ACME_TOKEN, TEXT, length_delimited, pb, rpc_error

INVALID = grpc.StatusCode.INVALID_ARGUMENT


def still_answers(client):
    assert client.classify(TEXT["en_order"]).intent == "order_status"


@pytest.mark.parametrize("method", ["classify", "suggest"])
def test_empty_text(acme, method):
    error = rpc_error(getattr(acme, method), "")
    assert error.code() == INVALID
    assert "message.text is empty" in error.details()
    still_answers(acme)


def test_whitespace_only_text(acme):
    error = rpc_error(acme.classify, " \n\t\u3000 ")
    assert error.code() == INVALID
    assert "message.text" in error.details() and "whitespace" in error.details()


def test_missing_message(acme):
    error = rpc_error(acme.service.ClassifyIntent, pb.ClassifyIntentRequest(), metadata=acme.metadata, timeout=30)
    assert error.code() == INVALID
    assert "message" in error.details() and "missing" in error.details()


@pytest.mark.parametrize("method", ["classify", "suggest"])
def test_one_mebibyte_of_text_names_the_limit(acme, method):
    error = rpc_error(getattr(acme, method), "a" * (1 << 20))
    assert error.code() == INVALID
    details = error.details()
    assert "message.text" in details and "1048576" in details and "16384" in details, details
    still_answers(acme)


def test_text_just_over_the_limit_and_at_the_limit(acme):
    error = rpc_error(acme.classify, "é" * 8192 + "a")  # 16385 bytes
    assert error.code() == INVALID and "16385" in error.details()
    assert acme.classify("where is my order " + "a" * (16384 - 18)).intent  # exactly 16384 bytes is fine


def test_request_over_the_receive_limit_is_resource_exhausted(acme):
    error = rpc_error(acme.classify, "a" * (5 << 20))  # over the default 4 MiB message limit
    assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, (error.code(), error.details())
    still_answers(acme)


def invalid_utf8_request(text: bytes, extra: bytes = b"") -> bytes:
    """A ClassifyIntentRequest / SuggestReplyRequest whose message.text is `text` (field 1 is the
    BuyerMessage in both; BuyerMessage.text is field 5)."""
    return length_delimited(1, length_delimited(1, b"m-utf8") + length_delimited(5, text)) + extra


@pytest.mark.parametrize("method", ["ClassifyIntent", "SuggestReply"])
@pytest.mark.parametrize("text", [b"caf\xe9 where is my order", b"\xff\xfe\xfd", b"ok \xed\xa0\x80 surrogate",
                                  b"truncated \xe2\x82"])
def test_invalid_utf8_text(acme, method, text):
    # Sanity: the same bytes with valid text are a valid request.
    valid = pb.ClassifyIntentRequest.FromString(invalid_utf8_request(b"where is my order"))
    assert valid.message.text == "where is my order"
    error = rpc_error(acme.raw_unary, method, invalid_utf8_request(text))
    assert error.code() == INVALID, (error.code(), error.details())
    assert "UTF-8" in error.details() and "message.text" in error.details(), error.details()
    still_answers(acme)


def test_nul_byte_in_text(acme):
    error = rpc_error(acme.classify, "where is\x00 my order")
    assert error.code() == INVALID
    assert "message.text" in error.details()


def test_bytes_that_are_not_a_request(acme):
    error = rpc_error(acme.raw_unary, "ClassifyIntent", b"\xff\xff\xff\xff\xff")
    assert error.code() == INVALID
    assert "ClassifyIntentRequest" in error.details()
    still_answers(acme)


@pytest.mark.parametrize("method", ["classify", "suggest"])
def test_unknown_platform_value(acme, method):
    error = rpc_error(getattr(acme, method), TEXT["en_order"], platform=99)
    assert error.code() == INVALID
    assert "message.platform 99" in error.details(), error.details()
    still_answers(acme)


def test_negative_platform_value(acme):
    error = rpc_error(acme.classify, TEXT["en_order"], platform=-1)
    assert error.code() == INVALID
    assert "platform" in error.details()


def test_bad_language_hint(acme):
    error = rpc_error(acme.classify, TEXT["en_order"], language_hint="español")
    assert error.code() == INVALID
    assert "language_hint" in error.details()


@pytest.mark.parametrize("field", ["message_id", "conversation_id", "buyer_id"])
def test_identifier_over_128_bytes(acme, field):
    error = rpc_error(acme.classify, TEXT["en_order"], **{field: "x" * 129})
    assert error.code() == INVALID
    assert f"message.{field}" in error.details() and "128" in error.details()


def test_bad_variables(acme):
    error = rpc_error(acme.suggest, TEXT["en_order"], {"": "x"})
    assert error.code() == INVALID and "variables" in error.details()
    error = rpc_error(acme.suggest, TEXT["en_order"], {"order_id": "9" * 5000})
    assert error.code() == INVALID and "order_id" in error.details()


def test_unknown_method_is_unimplemented(acme):
    error = rpc_error(acme.raw_unary, "NoSuchMethod", b"")
    assert error.code() == grpc.StatusCode.UNIMPLEMENTED
    still_answers(acme)


def test_garbage_after_valid_stream_messages_ends_the_stream(acme, connect):
    stream = acme.conversation(raw=True)
    for i in range(2):
        request = pb.StreamConversationsRequest(message=pb.BuyerMessage(text=TEXT["en_order"], message_id=f"g-{i}"))
        stream.send(request.SerializeToString())
    stream.send(b"\xff\xff\xff\xff\xff\xff")  # not a StreamConversationsRequest
    stream.send(pb.StreamConversationsRequest(message=pb.BuyerMessage(text=TEXT["en_order"], message_id="g-after"))
                .SerializeToString())
    end, responses = stream.status()
    answers = [pb.StreamConversationsResponse.FromString(r) for r in responses]
    assert [a.classification.message_id for a in answers] == ["g-0", "g-1"], answers
    assert end.code == INVALID, end
    assert "StreamConversationsRequest" in end.details, end.details
    # The same connection and a new one both keep working.
    still_answers(acme)
    still_answers(connect(ACME_TOKEN))
    follow = acme.conversation()
    follow.send_message(TEXT["en_order"], "after-garbage")
    assert follow.recv_kind("classification").message_id == "after-garbage"
    follow.half_close()
    assert follow.status()[0].code == grpc.StatusCode.OK


def test_invalid_utf8_in_a_stream_item_is_an_item_error(acme):
    # Well-framed protobuf whose text is not UTF-8: that item is refused, the stream goes on.
    stream = acme.conversation(raw=True)
    stream.send(pb.StreamConversationsRequest(message=pb.BuyerMessage(text=TEXT["en_order"], message_id="u-0"))
                .SerializeToString())
    # StreamConversationsRequest.message (field 1) with text (field 5) that is not UTF-8.
    stream.send(length_delimited(1, length_delimited(1, b"u-1") + length_delimited(5, b"bad \xff text")))
    stream.send(pb.StreamConversationsRequest(message=pb.BuyerMessage(text=TEXT["en_order"], message_id="u-2"))
                .SerializeToString())
    stream.half_close()
    end, responses = stream.status()
    answers = [pb.StreamConversationsResponse.FromString(r) for r in responses]
    assert [a.WhichOneof("kind") for a in answers] == ["classification", "error", "classification"], answers
    assert answers[0].classification.message_id == "u-0" and answers[2].classification.message_id == "u-2"
    error = answers[1].error
    assert error.code == INVALID.value[0]
    assert "UTF-8" in error.message and "message.text" in error.message, error.message
    assert end.code == grpc.StatusCode.OK, end
