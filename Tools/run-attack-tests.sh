#!/bin/bash
# The attack tests of issue #9 (Tests/AttackTests): hostile clients against real intentd processes
# (release build, tokens mode, temporary deployments), each asserting that a bound holds: the process
# lives, its RSS stays under a limit, another tenant's ClassifyIntent latency stays within 2x.
#
#   Tools/run-attack-tests.sh                      # builds intentd (release), runs every test
#   Tools/run-attack-tests.sh -k slowloris -x      # extra arguments go to pytest
#
# Environment:
#   SCRATCH=.build-x   SwiftPM scratch path for the release build (default: .build)
#   INTENTD=path       use this intentd binary instead of building one
#   ATTACK_REPORT=file also write the measured numbers there (default: .build/attack-report.txt)
#
# Makes (or reuses) a venv at .build/attack-venv from Tests/AttackTests/requirements.txt (PyPI) and
# generates the Python stubs into .build/attack-gen (never committed). Exit status: non-zero when any
# step or test fails.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scratch=${SCRATCH:-.build}
venv=$root/.build/attack-venv
gen=$root/.build/attack-gen
requirements=$root/Tests/AttackTests/requirements.txt

say() { echo "== $*" >&2; }
die() { echo "run-attack-tests: $*" >&2; exit 1; }

# 1. The venv: made once, reinstalled when requirements.txt changes.
mkdir -p "$root/.build"
if [ ! -x "$venv/bin/python" ]; then
  say "python3 -m venv $venv"
  python3 -m venv "$venv" || die "python3 -m venv failed (apt-get install python3-venv)"
fi
stamp=$venv/.requirements.sha256
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "pip install -r Tests/AttackTests/requirements.txt"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" || die "pip install failed"
  echo "$want" >"$stamp"
fi

# 2. Python stubs for replyintent.v1, generated fresh each run.
say "grpc_tools.protoc Protos/replyintent/v1/*.proto -> $gen"
rm -rf "$gen" && mkdir -p "$gen" || die "cannot make $gen"
"$venv/bin/python" -m grpc_tools.protoc -I "$root/Protos" --python_out="$gen" --grpc_python_out="$gen" \
  replyintent/v1/replyintent.proto replyintent/v1/admin.proto || die "generating the Python stubs failed"

# 3. intentd, release (the bounds are measured as deployed).
if [ -n "${INTENTD:-}" ]; then
  intentd=$INTENTD
else
  say "swift build -c release --scratch-path $scratch --product intentd"
  swift build -c release --scratch-path "$scratch" --product intentd >&2 || die "building intentd failed"
  intentd=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/intentd || die "no bin path"
fi
[ -x "$intentd" ] || die "intentd not found at $intentd"

# 4. The tests.
say "pytest Tests/AttackTests"
PYTHONDONTWRITEBYTECODE=1 INTENTD=$(cd "$(dirname "$intentd")" && pwd)/$(basename "$intentd") \
REPLYINTENT_PY_GEN=$gen REPLYINTENT_ROOT=$root ATTACK_REPORT=${ATTACK_REPORT:-$root/.build/attack-report.txt} \
  "$venv/bin/python" -m pytest -p no:cacheprovider -q -rA "$root/Tests/AttackTests" "$@"
