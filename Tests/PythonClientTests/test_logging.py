"""Logs never contain a buyer's message text unless the server runs with --log-message-text
(checked on servers that log every call, at debug level)."""
import grpc
import pytest

from harness import ACME_TOKEN, Client

PHRASE = "Wobbly-Pineapple-4711"
TEXT = f"where is my order {PHRASE}? it has not arrived"


def exercise(client: Client) -> None:
    client.classify(TEXT, message_id="log-1")
    client.suggest(TEXT, {"order_id": "X1"}, message_id="log-2")
    stream = client.conversation()
    stream.send_message(TEXT, "log-3")
    stream.send_message(TEXT, "log-4", platform=99)  # an item error
    stream.half_close()
    end, responses = stream.status()
    assert end.code == grpc.StatusCode.OK and len(responses) == 2
    try:
        client.classify(TEXT + " " + "x" * 17000)  # refused: too long
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    else:
        raise AssertionError("a text over the limit was accepted")


@pytest.mark.parametrize("log_text", [False, True], ids=["default", "log-message-text"])
def test_message_text_is_logged_only_when_asked(servers, log_text):
    extra = ["--log-level", "debug"] + (["--log-message-text"] if log_text else [])
    server = servers.start("logging", extra=extra)
    exercise(Client(server.channel("h2c"), ACME_TOKEN))
    server.stop()
    log = server.log.read_text(errors="replace") + "".join(server.stdout)
    assert "ClassifyIntent" in log and "SuggestReply" in log, log[-3000:]  # calls are logged...
    if log_text:
        assert PHRASE in log
    else:
        assert PHRASE not in log, [line for line in log.splitlines() if PHRASE in line]  # ...without the text
