#!/bin/bash
# Messages benchmark: encode and decode of the hot-path messages (ClassifyIntent request and
# response, SuggestReplyResponse, StreamConversations request and response; SimpleRequest and
# SimpleResponse of the transport benchmark), in CPU ns per call, for the working
# tree's Sources/Messages and for a git ref's, in the same run.
#
#   Tools/bench-messages.sh                 # working tree vs main, 200,000 calls, best of 5
#   Tools/bench-messages.sh 500000 5 HEAD~3
#
# Each side is a small SwiftPM package in $BENCH_DIR (default .build/bench-messages) holding a
# copy of CProtobufC, CReplyIntentProtos and Messages plus Tools/bench-messages/main.swift,
# built with -c release (what intentd uses). Prints one CSV table per side.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-200000}; rounds=${2:-5}; ref=${3:-main}
bench=${BENCH_DIR:-$root/.build/bench-messages}

# Writes the package for one side into $1 from the sources in $2.
make_package() {
  local dir=$1 sources=$2
  rm -rf "$dir"; mkdir -p "$dir/Sources/bench-messages"
  cp -r "$sources/Sources/CProtobufC" "$sources/Sources/CReplyIntentProtos" "$sources/Sources/Messages" "$dir/Sources/"
  cp "$root/Tools/bench-messages/main.swift" "$dir/Sources/bench-messages/main.swift"
  cat > "$dir/Package.swift" <<'SWIFT'
// swift-tools-version:6.1
import PackageDescription
let settings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]
let package = Package(
    name: "BenchMessages",
    targets: [
        .systemLibrary(name: "CProtobufC", pkgConfig: "libprotobuf-c"),
        .target(name: "CReplyIntentProtos", dependencies: ["CProtobufC"]),
        .target(name: "Messages", dependencies: ["CReplyIntentProtos", "CProtobufC"], swiftSettings: settings),
        .executableTarget(name: "bench-messages", dependencies: ["Messages"]),
    ])
SWIFT
}

ref_sources=$bench/ref-sources
rm -rf "$ref_sources"; mkdir -p "$ref_sources"
git -C "$root" archive "$ref" Sources/CProtobufC Sources/CReplyIntentProtos Sources/Messages | tar -x -C "$ref_sources"
make_package "$bench/ref" "$ref_sources"
make_package "$bench/tree" "$root"
for side in ref tree; do
  echo "== building $side" >&2
  swift build -c release --package-path "$bench/$side" >"$bench/$side-build.log" 2>&1 \
    || { cat "$bench/$side-build.log" >&2; exit 1; }
done
# Alternate the sides so that a slower moment of a shared machine does not favour one.
for run in 1 2; do
  for side in ref tree; do
    label=$([ $side = ref ] && echo "$ref" || echo "working tree")
    echo "# $label (run $run)"
    "$bench/$side/.build/release/bench-messages" "$count" "$rounds"
  done
done
