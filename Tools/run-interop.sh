#!/bin/bash
# The interop matrix as one command: our server (intentd --test-service) and our client
# (intentctl interop) against the C++ gRPC and Python grpcio peers, plaintext (h2c) and TLS.
#
#   Tools/run-interop.sh            # builds release binaries and the peers, runs both matrices
#
# Environment:
#   SCRATCH=.build-x   SwiftPM scratch path for the release build (default: .build)
#   PEERS=dir          where the peers are copied and built (default: <repo>/.build/peers)
#   SKIP_BUILD=1       use the release binaries already built
#
# Exit status: 0 when every row with our server or our client passes in both matrices, 1 otherwise.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scratch=${SCRATCH:-.build}
peers=${PEERS:-$root/.build/peers}
shared_peers="$(cd "$root/.." && pwd)/shared/peers"

say() { echo "== $*" >&2; }
die() { echo "run-interop: $*" >&2; exit 1; }

# 1. System packages the peers need (installs only what is missing).
"$root/Tools/install-system-packages.sh" --test >&2 || die "installing system packages failed"

# 2. Our release binaries.
if [ -z "${SKIP_BUILD:-}" ]; then
  say "swift build -c release (intentd, intentctl)"
  swift build -c release --scratch-path "$scratch" --product intentd >&2 || die "building intentd failed"
  swift build -c release --scratch-path "$scratch" --product intentctl >&2 || die "building intentctl failed"
fi
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path) || die "no bin path"
intentd=$bin/intentd; intentctl=$bin/intentctl
[ -x "$intentd" ] && [ -x "$intentctl" ] || die "release binaries missing in $bin"

# 3. The peers: copy, then build what is not built yet.
if [ ! -f "$peers/run-interop-matrix.sh" ]; then
  [ -d "$shared_peers" ] || die "peers not found at $shared_peers"
  say "copying peers from $shared_peers to $peers"
  mkdir -p "$(dirname "$peers")" && cp -r "$shared_peers" "$peers" || die "copying peers failed"
fi
if [ ! -x "$peers/cpp/interop_server" ] || [ ! -x "$peers/cpp/interop_client" ]; then
  say "building the C++ peers"; "$peers/cpp/build.sh" >&2 || die "cpp/build.sh failed"
fi
if [ ! -x "$peers/py/venv/bin/python" ] || [ ! -d "$peers/py/gen" ]; then
  say "building the Python peers"; "$peers/py/build.sh" >&2 || die "py/build.sh failed"
fi
if [ ! -f "$peers/certs/server.pem" ]; then
  say "making test certificates"; "$peers/certs/make-certs.sh" >/dev/null || die "certs/make-certs.sh failed"
fi

# 4. Our server, on a free h2c port and a free TLS port.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
logs=$peers/matrix-logs; mkdir -p "$logs"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
trap cleanup EXIT
wait_port() { # pid port
  for _ in $(seq 1 100); do
    kill -0 "$1" 2>/dev/null || return 1
    (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
h2c_port=$(free_port); tls_port=$(free_port)
"$intentd" --test-service --host 127.0.0.1 --port "$h2c_port" >"$logs/intentd-h2c.log" 2>&1 & pids+=($!)
wait_port $! "$h2c_port" || { cat "$logs/intentd-h2c.log" >&2; die "intentd (h2c) did not start"; }
"$intentd" --test-service --host 127.0.0.1 --port "$tls_port" \
  --tls-cert "$peers/certs/server.pem" --tls-key "$peers/certs/server.key" >"$logs/intentd-tls.log" 2>&1 & pids+=($!)
wait_port $! "$tls_port" || { cat "$logs/intentd-tls.log" >&2; die "intentd (TLS) did not start"; }

# 5. Both matrices.
status=0
echo "### h2c (plaintext, prior knowledge) — our server on 127.0.0.1:$h2c_port"
EXTRA_SERVERS="ours=127.0.0.1:$h2c_port" EXTRA_CLIENT="ours=$intentctl interop" LOG="$logs/h2c" \
  "$peers/run-interop-matrix.sh" || status=1
echo
echo "### TLS (ALPN h2) — our server on 127.0.0.1:$tls_port"
EXTRA_SERVERS="ours=127.0.0.1:$tls_port" EXTRA_CLIENT="ours=$intentctl interop" LOG="$logs/tls" \
  "$peers/run-interop-matrix.sh" --tls || status=1
echo
echo "(rows with the py-grpcio server: its client_compressed_* failures are excused by the runner, as that server"
echo " cannot see whether a request message was compressed; see $peers/README.md)"
if [ $status = 0 ]; then echo "interop: all rows with our server or client passed"; else echo "interop: FAILED (logs in $logs)"; fi
exit $status
