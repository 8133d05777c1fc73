#!/bin/bash
# Builds the libFuzzer targets of Fuzz/ (their own SwiftPM package, scratch path .build-fuzz, so
# the main .build is never touched) with the fuzzer and AddressSanitizer, replays every kept
# regression input (Fuzz/Regressions/<target>/), then fuzzes each target for a bounded time from
# its committed seed corpus (Fuzz/Corpus/<target>/).
#
#   Tools/fuzz.sh                      # every target, 60 s each
#   Tools/fuzz.sh 20                   # the quick run Tools/test.sh does
#   Tools/fuzz.sh 600 http2-server deframer
#   FUZZ_JOBS=2 Tools/fuzz.sh 20       # two targets at a time
#
# A crashing input is written to Fuzz/Crashes/<target>-crash-<sha1> (leak-, timeout-, oom- for
# the other failures); reproduce it with `.build-fuzz/release/<target> <file>`. Inputs the fuzzer
# found interesting go to .build-fuzz/corpus/<target>/ (kept between runs, never committed).
# Exit status: non-zero if the build failed, a regression input crashed, or any target crashed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

seconds=${1:-60}
shift $(( $# > 0 ? 1 : 0 ))
all_targets=(http2-server grpc-server deframer messages tenant-policy templates tokens settings model-file)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
jobs=${FUZZ_JOBS:-1}
scratch=${FUZZ_SCRATCH:-.build-fuzz}

# The longest input per target: a few frames of a connection, a message, a configuration file,
# a small model file.
declare -A max_len=(
  [http2-server]=65536 [grpc-server]=65536 [deframer]=65536 [messages]=20000 [tenant-policy]=8192
  [templates]=16384 [tokens]=8192 [settings]=8192 [model-file]=32768
)

# grpc-server's server runs on its own thread: LeakSanitizer's per-input check sees its objects
# half-way through being torn down and reports leaks that are not there (the input alone never
# leaks); growth across inputs still shows up as the RSS limit.
declare -A extra_flags=([grpc-server]="-detect_leaks=0")

fail() { echo "fuzz.sh: $*" >&2; exit 1; }

for target in "${targets[@]}"; do
  [ -n "${max_len[$target]+x}" ] || fail "unknown target '$target' (targets: ${all_targets[*]})"
done
[[ $seconds =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || fail "SECONDS_PER_TARGET must be a positive number, not '$seconds'"
# SwiftPM names a package found by path after its folder: a checkout folder called "fuzz" would
# have the same identity as the Fuzz/ package.
[ "$(basename "$root" | tr '[:upper:]' '[:lower:]')" != fuzz ] \
  || fail "the checkout folder is named '$(basename "$root")', which SwiftPM confuses with Fuzz/: use another folder name"

echo "==> building the fuzz targets ($scratch, release, -sanitize=fuzzer,address)"
build_start=$SECONDS
mkdir -p "$scratch/logs"
# SwiftPM's --sanitize passes one -sanitize= flag per sanitizer, and swiftc keeps only the last,
# which would leave the Swift code without coverage instrumentation: the -Xswiftc flag, which
# comes after them, names both. (--sanitize=fuzzer is still needed: with it SwiftPM links
# libFuzzer's main instead of the module's own entry point.)
if ! swift build -c release --package-path Fuzz --scratch-path "$scratch" \
  --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing \
  > "$scratch/logs/build.log" 2>&1; then
  grep -v -e "Cannot export local symbol '__asan" "$scratch/logs/build.log" | tail -40
  fail "the fuzz targets did not build (log: $scratch/logs/build.log)"
fi
echo "built in $((SECONDS - build_start)) s"

bin="$scratch/release"
mkdir -p Fuzz/Crashes
# Swift's own crash reporter would handle the trap before libFuzzer can save the input.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}

# Replays the kept inputs of one target: each must run clean.
replay() {
  local target=$1 dir=Fuzz/Regressions/$1
  [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] || return 0
  if ! "$bin/$target" -rss_limit_mb=2048 -timeout=10 ${extra_flags[$target]:-} "$dir"/* > "$scratch/logs/$target.replay.log" 2>&1; then
    echo "$target: a regression input crashes again (log: $scratch/logs/$target.replay.log)"
    tail -40 "$scratch/logs/$target.replay.log"
    return 1
  fi
  echo "$target: $(ls "$dir" | wc -l) regression input(s) replayed clean"
}

# Fuzzes one target for $seconds; its log goes to $scratch/logs/<target>.log.
run() {
  local target=$1 corpus=$scratch/corpus/$1
  mkdir -p "$corpus"
  nice -n 10 "$bin/$target" -max_total_time="$seconds" -max_len="${max_len[$target]}" -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="Fuzz/Crashes/$target-" ${extra_flags[$target]:-} \
    "$corpus" "Fuzz/Corpus/$target" > "$scratch/logs/$target.log" 2>&1
}

# One line per target: executions, speed, coverage (edges) and features at the end of the run.
summary() {
  local target=$1 status=$2 log=$scratch/logs/$1.log
  local runs speed cov ft
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  if [ "$status" -eq 0 ]; then
    printf '%-14s ok      %10s runs %7s exec/s  cov %6s  ft %6s\n' "$target" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}"
  else
    printf '%-14s FAILED  (exit %s; log %s)\n' "$target" "$status" "$log"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*Fatal error|artifact_prefix|Test unit written)' "$log" | head -8 | sed 's/^/    /'
  fi
}

failed=0
echo "==> replaying Fuzz/Regressions"
for target in "${targets[@]}"; do replay "$target" || failed=1; done

echo "==> fuzzing ${#targets[@]} target(s), $seconds s each, $jobs at a time"
running=0
for target in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
  rm -f "$scratch/logs/$target.status"
  ( run "$target"; echo $? > "$scratch/logs/$target.status" ) &
  running=$((running + 1))
done
wait
for target in "${targets[@]}"; do
  status=$(cat "$scratch/logs/$target.status" 2>/dev/null || echo 1)
  summary "$target" "$status"
  [ "$status" -eq 0 ] || failed=1
done

if [ "$failed" -ne 0 ]; then
  echo "fuzz.sh: FAILED: see above; crashing inputs are in Fuzz/Crashes/" >&2
  exit 1
fi
echo "fuzz.sh: every target ran clean"
