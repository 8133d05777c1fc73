#!/bin/bash
# Calls a running ReplyIntent server (intentd) from Python grpcio: ClassifyIntent, SuggestReply and a
# short StreamConversations session, with stubs generated from Protos/ at run time. Example for the README.
#   Tools/python-example/run.sh 127.0.0.1:50051 [TOKEN]
# TOKEN (or $REPLYINTENT_TOKEN) is sent as `authorization: Bearer TOKEN`; single-tenant servers need none.
# Needs python3-venv; the first run makes .build/pyenv (grpcio 1.85.1) and downloads it from PyPI.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 HOST:PORT [TOKEN]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=$root/.build/pyenv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import grpc, grpc_tools' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet grpcio==1.85.1 grpcio-tools==1.85.1
fi
# Generate the Python stubs into a temporary directory (nothing generated is committed).
stubs=$(mktemp -d); trap 'rm -rf "$stubs"' EXIT
"$venv/bin/python" -m grpc_tools.protoc -I "$root/Protos" --python_out="$stubs" --grpc_python_out="$stubs" \
  replyintent/v1/replyintent.proto replyintent/v1/admin.proto
PYTHONPATH=$stubs "$venv/bin/python" "$here/client.py" "$1" "${2:-${REPLYINTENT_TOKEN:-}}"
