#!/bin/bash
# End-to-end tests of intentd with a Python grpcio client generated from Protos/ (h2c and TLS):
# every RPC and decision path, tenants, auth, alerts, bad input (Tests/PythonClientTests).
#
#   Tools/run-python-client-tests.sh                 # builds intentd, runs every test
#   Tools/run-python-client-tests.sh -k alerts -x    # extra arguments go to pytest
#
# Environment:
#   SCRATCH=.build-x   SwiftPM scratch path for building intentd (default: .build)
#   INTENTD=path       use this intentd binary instead of building one
#
# Makes (or reuses) a venv at .build/python-client/venv from Tests/PythonClientTests/requirements.txt
# (PyPI), generates the Python stubs into .build/python-client/gen (never committed), and test
# certificates into a temporary directory. Exit status: non-zero when any step or test fails.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scratch=${SCRATCH:-.build}
work=$root/.build/python-client
venv=$work/venv
gen=$work/gen
requirements=$root/Tests/PythonClientTests/requirements.txt

say() { echo "== $*" >&2; }
die() { echo "run-python-client-tests: $*" >&2; exit 1; }

# 1. The venv: made once, reinstalled when requirements.txt changes.
mkdir -p "$work"
if [ ! -x "$venv/bin/python" ]; then
  say "python3 -m venv $venv"
  python3 -m venv "$venv" || die "python3 -m venv failed (apt-get install python3-venv)"
fi
stamp=$venv/.requirements.sha256
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "pip install -r Tests/PythonClientTests/requirements.txt"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" || die "pip install failed"
  echo "$want" >"$stamp"
fi

# 2. Python stubs for replyintent.v1, generated fresh each run.
say "grpc_tools.protoc Protos/replyintent/v1/*.proto -> $gen"
rm -rf "$gen" && mkdir -p "$gen" || die "cannot make $gen"
"$venv/bin/python" -m grpc_tools.protoc -I "$root/Protos" --python_out="$gen" --grpc_python_out="$gen" \
  replyintent/v1/replyintent.proto replyintent/v1/admin.proto || die "generating the Python stubs failed"

# 3. intentd.
if [ -n "${INTENTD:-}" ]; then
  intentd=$INTENTD
else
  say "swift build --scratch-path $scratch --product intentd"
  swift build --scratch-path "$scratch" --product intentd >&2 || die "building intentd failed"
  intentd=$(swift build --scratch-path "$scratch" --show-bin-path)/intentd || die "no bin path"
fi
[ -x "$intentd" ] || die "intentd not found at $intentd"

# 4. Throw-away test certificates.
certs=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$certs"' EXIT
"$root/Certs/make-test-certs.sh" "$certs" >/dev/null || die "Certs/make-test-certs.sh failed"

# 5. The tests.
say "pytest Tests/PythonClientTests"
PYTHONDONTWRITEBYTECODE=1 INTENTD=$(cd "$(dirname "$intentd")" && pwd)/$(basename "$intentd") \
REPLYINTENT_CERTS=$certs REPLYINTENT_PY_GEN=$gen REPLYINTENT_ROOT=$root \
  "$venv/bin/python" -m pytest -p no:cacheprovider -q "$root/Tests/PythonClientTests" "$@"
