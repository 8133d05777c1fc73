# Sourced by Tools/run-attack-tests.sh and Tools/soak.sh (not run by itself): the Python venv of the
# attack tests, their stubs, and a release intentd. Expects $root (the repository) and die(); sets
# $venv, $gen and $intentd.
#
# Environment: SCRATCH (SwiftPM scratch path, default .build), INTENTD (use this binary, no build).
scratch=${SCRATCH:-.build}
venv=$root/.build/attack-venv
gen=$root/.build/attack-gen
requirements=$root/Tests/AttackTests/requirements.txt

# 1. The venv: made once, reinstalled when requirements.txt changes.
mkdir -p "$root/.build"
if [ ! -x "$venv/bin/python" ]; then
  echo "== python3 -m venv $venv" >&2
  python3 -m venv "$venv" || die "python3 -m venv failed (apt-get install python3-venv)"
fi
stamp=$venv/.requirements.sha256
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "== pip install -r Tests/AttackTests/requirements.txt" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" || die "pip install failed"
  echo "$want" >"$stamp"
fi

# 2. Python stubs for replyintent.v1, generated fresh each run.
echo "== grpc_tools.protoc Protos/replyintent/v1/*.proto -> $gen" >&2
rm -rf "$gen" && mkdir -p "$gen" || die "cannot make $gen"
"$venv/bin/python" -m grpc_tools.protoc -I "$root/Protos" --python_out="$gen" --grpc_python_out="$gen" \
  replyintent/v1/replyintent.proto replyintent/v1/admin.proto || die "generating the Python stubs failed"

# 3. intentd, release (the bounds are measured as deployed).
if [ -n "${INTENTD:-}" ]; then
  intentd=$INTENTD
else
  echo "== swift build -c release --scratch-path $scratch --product intentd" >&2
  swift build -c release --scratch-path "$scratch" --product intentd >&2 || die "building intentd failed"
  intentd=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/intentd || die "no bin path"
fi
[ -x "$intentd" ] || die "intentd not found at $intentd"
intentd=$(cd "$(dirname "$intentd")" && pwd)/$(basename "$intentd")
