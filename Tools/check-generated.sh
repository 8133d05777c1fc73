#!/bin/bash
# Fails when the committed protobuf-c output or the Swift messages over it differ from what
# Tools/generate-protos.sh makes now.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/Tools/generate-protos.sh" >/dev/null
if ! git -C "$root" diff --exit-code --stat -- Sources/CReplyIntentProtos Sources/Messages/Generated; then
  echo "generated protobuf-c or Swift message code is stale: run Tools/generate-protos.sh and commit the result" >&2; exit 1
fi
untracked=$(git -C "$root" ls-files --others --exclude-standard -- Sources/CReplyIntentProtos Sources/Messages/Generated)
[ -z "$untracked" ] || { echo "generated files not committed: $untracked" >&2; exit 1; }
echo "generated code is up to date"
