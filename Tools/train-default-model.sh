#!/usr/bin/env bash
# Trains the default model, models/default.rimodel, from the public data in ../shared/data and the
# project's own examples (Data/authored, Data/langid, Data/tone, Data/lexicons). One command:
#
#   Tools/train-default-model.sh
#
# Environment: SHARED_DATA (default: <repo>/../shared/data), SCRATCH (SwiftPM scratch path, default .build).
# Writes models/default.rimodel and models/default-training-report.txt (the train command's report).
# Settings are intentctl's defaults, chosen on ../shared/data/intents/dev.jsonl (see docs/MODEL.md).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SHARED_DATA:-$(cd "$root/.." && pwd)/shared/data}"
scratch="${SCRATCH:-.build}"
cd "$root"
for required in "$shared/intents/train.jsonl" "$shared/intents/dev.jsonl" "$root/Data/authored"; do
  [ -e "$required" ] || { echo "missing $required (set SHARED_DATA?)" >&2; exit 1; }
done
swift build -c release --product intentctl --scratch-path "$scratch" 2>&1 | tail -1
mkdir -p models
"$scratch/release/intentctl" train \
  --train "$shared/intents/train.jsonl" \
  --authored "$root/Data/authored" \
  --dev "$shared/intents/dev.jsonl" \
  --project "$root" --shared "$shared" \
  --name replyintent-default --model-version 1.0.0 \
  --out models/default.rimodel | tee models/default-training-report.txt
