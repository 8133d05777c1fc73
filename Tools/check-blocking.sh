#!/bin/bash
# Blocking work cannot reach an event loop (docs/ARCHITECTURE.md): the APIs that block take a
# Blocking.BlockingPermit, and permits are issued only where blocking is allowed. This check keeps
# the issuers where they are, in Sources/ and Fuzz/Sources/ (tests may issue permits):
#   1. the `BlockingPermitIssuer` SPI (the permit's initializer) is imported only by
#      Sources/RPC/UnaryContext.swift (`blockingPermit`, present only off the event loop);
#   2. a permit is created (`BlockingPermit(`) only there and in Sources/Blocking (BlockingWork.run,
#      on a Dispatch thread);
#   3. a UnaryContext that is off the event loop (`isOnEventLoop: false`, so it issues permits) is
#      made only by the transport's offload, in Sources/GRPCTransport/Server.
# Prints one line per violation; exit status 1 if any.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

violations=$(mktemp); trap 'rm -f "$violations"' EXIT
# find_code PATTERN: file:line:text for every Swift line under Sources/ and Fuzz/Sources/ whose code
# (line comments dropped) matches PATTERN.
find_code() {
  find Sources Fuzz/Sources -name '*.swift' -print0 | sort -z |
    xargs -0 awk -v pattern="$1" '{ code = $0; sub(/\/\/.*/, "", code); if (code ~ pattern) print FILENAME ":" FNR ": " $0 }'
}

while IFS= read -r hit; do
  [[ $hit == Sources/RPC/UnaryContext.swift:* ]] && continue
  echo "$hit: only Sources/RPC/UnaryContext.swift may import the BlockingPermitIssuer SPI" >> "$violations"
done < <(find_code '@_spi\\(BlockingPermitIssuer\\)[ \t]+((public|package|internal|fileprivate|private)[ \t]+)?import')

while IFS= read -r hit; do
  [[ $hit == Sources/RPC/UnaryContext.swift:* || $hit == Sources/Blocking/* ]] && continue
  echo "$hit: a BlockingPermit is issued only by BlockingWork.run and UnaryContext.blockingPermit" >> "$violations"
done < <(find_code 'BlockingPermit[ \t]*\\(|BlockingPermit\\.init')

while IFS= read -r hit; do
  [[ $hit == Sources/GRPCTransport/Server/* ]] && continue
  echo "$hit: only the transport's offload (GRPCTransport/Server) makes an off-loop UnaryContext" >> "$violations"
done < <(find_code 'isOnEventLoop:[ \t]*false')

if [ -s "$violations" ]; then
  cat "$violations" >&2
  echo "check-blocking: $(wc -l < "$violations") place(s) issue a BlockingPermit outside BlockingWork and the transport's offload" >&2
  exit 1
fi
echo "check-blocking: blocking permits are issued only by BlockingWork.run and the transport's offload"
