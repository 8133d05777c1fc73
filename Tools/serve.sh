#!/bin/bash
# Builds intentd (release) and runs it: h2c on port 50051 by default. Extra arguments go to intentd,
# e.g. Tools/serve.sh --port 8080 --tls-port 8443 --cert Certs/server.pem --key Certs/server.key
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd); cd "$root"
Tools/install-system-packages.sh
swift build -c release --product intentd >&2
exec .build/release/intentd "$@"
