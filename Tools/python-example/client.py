"""A Python grpcio client for ReplyIntent's standard services (run through run.sh).

Checks grpc.health.v1.Health, then calls grpc.testing.TestService: one UnaryCall and one
StreamingOutputCall. Exits non-zero if any call fails.
"""
import os
import sys

import grpc

# protoc names the generated modules after the proto paths (grpc/testing/..., grpc/health/...),
# which live inside grpcio's own `grpc` package: extend it with the stubs directory.
grpc.__path__.append(os.path.join(os.environ["STUBS"], "grpc"))

from grpc.health.v1 import health_pb2, health_pb2_grpc
from grpc.testing import messages_pb2, test_pb2_grpc


def main(target: str) -> None:
    with grpc.insecure_channel(target) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        reply = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
        print("health:", health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status))

        test = test_pb2_grpc.TestServiceStub(channel)
        response = test.UnaryCall(
            messages_pb2.SimpleRequest(response_size=16, payload=messages_pb2.Payload(body=b"hello")),
            timeout=5,
        )
        print("UnaryCall: payload of", len(response.payload.body), "bytes")

        request = messages_pb2.StreamingOutputCallRequest(
            response_parameters=[messages_pb2.ResponseParameters(size=size) for size in (1, 10, 100)]
        )
        sizes = [len(r.payload.body) for r in test.StreamingOutputCall(request, timeout=5)]
        print("StreamingOutputCall: payload sizes", sizes)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: client.py HOST:PORT")
    try:
        main(sys.argv[1])
    except grpc.RpcError as error:
        sys.exit(f"call failed: {error.code().name}: {error.details()}")
