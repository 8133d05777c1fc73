#!/bin/bash
# Calls a running ReplyIntent server (intentd) from Python grpcio: a health check, a unary call
# and a server-streaming call of the standard interop service. Example for the README.
#   Tools/python-example/run.sh 127.0.0.1:50051
# Needs python3-venv; the first run makes .build/pyenv (grpcio 1.85.1) and downloads it from PyPI.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 HOST:PORT" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=$root/.build/pyenv
protos=/usr/share/grpc-proto   # Debian's grpc-proto package
[ -f "$protos/grpc/health/v1/health.proto" ] || { echo "missing $protos: apt-get install grpc-proto" >&2; exit 1; }
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import grpc, grpc_tools' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet grpcio==1.85.1 grpcio-tools==1.85.1
fi
# Generate the Python stubs at run time into a temporary directory (nothing generated is committed).
stubs=$(mktemp -d); trap 'rm -rf "$stubs"' EXIT
"$venv/bin/python" -m grpc_tools.protoc -I "$protos" --python_out="$stubs" --grpc_python_out="$stubs" \
  grpc/testing/empty.proto grpc/testing/messages.proto grpc/testing/test.proto grpc/health/v1/health.proto
STUBS=$stubs "$venv/bin/python" "$here/client.py" "$1"
