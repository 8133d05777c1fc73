#!/usr/bin/env bash
# Times the rendering of reply templates, which SuggestReply does inline on the event loop: every
# bundled template (Templates/, 18 languages x 23 intents) rendered with three typical value sets,
# by our renderer (ReplyTemplate.render: a walk over pre-parsed pieces) and by swift-mustache
# (the general Mustache library, plain-text mode), release build, one thread, best of 3 runs.
# It also counts the outputs on which the two disagree.
#
#   Tools/bench-replies.sh          # 200 passes over the 414 templates x 3 value sets
#   Tools/bench-replies.sh 1000
#
# The benchmark is a package of its own (Tools/bench-replies), so swift-mustache is not a
# dependency of the product. Environment: SCRATCH (SwiftPM scratch path, default .build-bench-replies).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
passes=${1:-200}
scratch="${SCRATCH:-.build-bench-replies}"

echo "== building bench-replies (release, $scratch)"
mkdir -p "$scratch"
if ! swift build -c release --package-path Tools/bench-replies --scratch-path "$scratch" > "$scratch/build.log" 2>&1; then
  grep -A8 "error:" "$scratch/build.log" | head -40
  echo "bench-replies.sh: the benchmark did not build (log: $scratch/build.log)" >&2
  exit 1
fi
"$scratch/release/bench-replies" "$root/Templates" "$passes"
