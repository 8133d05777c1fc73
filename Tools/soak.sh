#!/bin/bash
# Soak: one release intentd (tokens mode, two tenants) under mixed load for DURATION_SECONDS, its RSS
# sampled every 10 s to a CSV, then a summary (start, max and end RSS, the slope over the last half,
# what each client did). Load (Tools/soak.py): h2load ClassifyIntent unary at a fixed rate, long-lived
# StreamConversations clients sending messages and subscribed to alerts, and a trickle of hostile
# connections (no-token unary floods and zero-window streams, Tests/AttackTests/attackers.py).
#
#   Tools/soak.sh 1800            # 30 minutes
#   Tools/soak.sh 60              # a quick check that it works
#
# Environment: SCRATCH (SwiftPM scratch path, default .build), INTENTD (use this binary, no build),
# OUT (results, default .build/soak: soak-rss.csv, soak-summary.txt, intentd.log, h2load.txt),
# SAMPLE (seconds between RSS samples, 10), H2LOAD_CLIENTS (4), H2LOAD_RPS (per client, 200).
# Exit status: non-zero when intentd died (or did not stop cleanly), or a step failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
die() { echo "soak: $*" >&2; exit 1; }
duration=${1:-}
[[ "$duration" =~ ^[0-9]+$ ]] && [ "$duration" -gt 0 ] || die "usage: Tools/soak.sh DURATION_SECONDS"
command -v h2load >/dev/null || die "h2load missing (apt-get install nghttp2-client)"
out=${OUT:-$root/.build/soak}
rm -rf "$out" && mkdir -p "$out" || die "cannot make $out"

# The venv, the stubs and a release intentd ($venv, $gen, $intentd).
source "$root/Tools/attack-env.sh"

ulimit -n 8192 2>/dev/null || true
PYTHONDONTWRITEBYTECODE=1 REPLYINTENT_PY_GEN=$gen REPLYINTENT_ROOT=$root \
  "$venv/bin/python" "$root/Tools/soak.py" "$duration" --out "$out" --intentd "$intentd" \
  --sample-seconds "${SAMPLE:-10}" --h2load-clients "${H2LOAD_CLIENTS:-4}" --h2load-rps "${H2LOAD_RPS:-200}"
