"""A Python grpcio client for ReplyIntent (run through run.sh, which generates the stubs).

Classifies a message, asks for a reply suggestion, then runs a short StreamConversations
session. Exits non-zero if any call fails.
"""
import sys

import grpc

from replyintent.v1 import replyintent_pb2 as pb
from replyintent.v1 import replyintent_pb2_grpc as rpc


def main(target: str, token: str) -> None:
    metadata = [("authorization", f"Bearer {token}")] if token else []
    with grpc.insecure_channel(target) as channel:
        service = rpc.ReplyIntentStub(channel)

        message = pb.BuyerMessage(
            message_id="m-1", conversation_id="c-9", platform=pb.PLATFORM_SHOPEE,
            text="Kak, pesanan saya belum sampai, ini penipuan ya? saya mau lapor ke shopee",
        )
        answer = service.ClassifyIntent(pb.ClassifyIntentRequest(message=message, top_k=3),
                                        metadata=metadata, timeout=5).classification
        print("intent:", answer.intent, round(answer.confidence, 2), "language:", answer.language.code,
              "priority:", pb.Priority.Name(answer.priority))
        for hit in answer.risk_hits:
            print("  risk:", hit.category, repr(hit.term))
        print("  model:", answer.model.name, answer.model.version)

        suggestion = service.SuggestReply(
            pb.SuggestReplyRequest(
                message=pb.BuyerMessage(text="¿Dónde está mi pedido? Ya pasaron 10 días"),
                variables={"order_id": "SO-7731", "eta": "el viernes", "tracking_url": "https://t.example/SO-7731"},
            ),
            metadata=metadata, timeout=5,
        )
        print("reply:", pb.Decision.Name(suggestion.decision), suggestion.template_id)
        print("  ", suggestion.reply_text)
        for reason in suggestion.decision_reasons:
            print("   because:", reason)

        def requests():
            for i, text in enumerate(["where is my order?", "I want a refund, this is a scam"]):
                yield pb.StreamConversationsRequest(message=pb.BuyerMessage(message_id=f"s-{i}", text=text))

        for response in service.StreamConversations(requests(), metadata=metadata, timeout=10):
            kind = response.WhichOneof("kind")
            if kind == "classification":
                print("stream:", response.classification.message_id, response.classification.intent,
                      pb.Priority.Name(response.classification.priority))
            else:
                print("stream:", kind)


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: client.py HOST:PORT [TOKEN]")
    try:
        main(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else "")
    except grpc.RpcError as error:
        sys.exit(f"call failed: {error.code().name}: {error.details()}")
