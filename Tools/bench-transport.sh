#!/bin/bash
# Transport benchmark: intentd (our HTTP/2 + gRPC server) against the peers' anchors
# (nghttpd static files, C++ gRPC callback/sync servers, Python grpcio), with h2load as the load.
#
#   Tools/bench-transport.sh            # build release, build peers, measure, write BENCHMARKS.md's transport section
#
# Environment: SCRATCH (SwiftPM scratch path, default .build), PEERS (peers copy, default .build/peers),
# REPS/DUR/WARM/LEVELS/WORKLOADS/PEER_LIST (passed to run-perf.sh), SKIP_BUILD=1, NO_WRITE=1 (don't touch BENCHMARKS.md),
# SKIP_PERF=1 (reuse the last run-perf.sh + CPU results in $OUT; redo only the all-cores and idle-RSS steps).
#
# Steps: 1. swift build -c release  2. copy + build the peers  3. `taskset -c 0 intentd --threads 1 --test-service`
# on 127.0.0.1:50500 and run-perf.sh with EXTRA="ours=127.0.0.1:50500"  4. all cores: intentd --threads 2 unpinned,
# h2load 8x32 unpinned  5. RSS of intentd at 1,000 idle h2c connections  6. BENCHMARKS.md.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd); cd "$root"
scratch=${SCRATCH:-.build}
peers=${PEERS:-$root/.build/peers}
shared_peers="$(dirname "$root")/shared/peers"
out=${OUT:-$root/.build/bench-transport}; mkdir -p "$out"
say() { echo "== $*" >&2; }
die() { echo "bench-transport: $*" >&2; exit 1; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
wait_port() { for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }
# Starts intentd on port 0 with the given flags (log in $1) and prints the port it bound.
start_any_port() {
  local log=$1; shift
  "$intentd" "$@" --host 127.0.0.1 --port 0 > "$log" 2>&1 &
  pids+=($!); started_pid=$!
  for _ in $(seq 1 100); do
    port=$(sed -nE 's/^intentd listening on h2c 127\.0\.0\.1:([0-9]+)$/\1/p' "$log" 2>/dev/null)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  die "intentd did not start: $(cat "$log")"
}

# 1. Release build.
if [ -z "${SKIP_BUILD:-}" ]; then
  say "swift build -c release --product intentd"
  swift build -c release --scratch-path "$scratch" --product intentd >&2 || die "build failed"
fi
intentd=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/intentd
[ -x "$intentd" ] || die "no intentd at $intentd"

# 2. Peers and their packages.
if [ -x "$root/Tools/install-system-packages.sh" ]; then
  "$root/Tools/install-system-packages.sh" --test >&2 || die "installing packages failed"
fi
for tool in h2load nghttpd nghttp taskset python3; do command -v $tool >/dev/null || die "$tool missing (apt: nghttp2-client nghttp2-server util-linux python3)"; done
if [ ! -f "$peers/perf/run-perf.sh" ]; then
  [ -d "$shared_peers" ] || die "peers not found at $shared_peers"
  mkdir -p "$(dirname "$peers")" && cp -r "$shared_peers" "$peers" || die "copying peers failed"
fi
[ -x "$peers/cpp/interop_server" ] || { say "building C++ peers"; "$peers/cpp/build.sh" >&2 || die "cpp/build.sh failed"; }
[ -x "$peers/py/venv/bin/python" ] || { say "building Python peers"; "$peers/py/build.sh" >&2 || die "py/build.sh failed"; }

ulimit -n 8192 2>/dev/null || true
if [ -z "${SKIP_PERF:-}" ]; then
# 3. One core: ours pinned like the peers.
say "run-perf.sh with ours pinned to CPU 0"
taskset -c 0 "$intentd" --threads 1 --test-service --host 127.0.0.1 --port 50500 > "$out/intentd-1core.log" 2>&1 &
ours=$!; pids+=($ours)
wait_port 50500 || die "intentd did not start: $(cat "$out/intentd-1core.log")"
rm -rf "$out/perf"
EXTRA="ours=127.0.0.1:50500" OUT="$out/perf" ${PEER_LIST:+PEERS="$PEER_LIST"} "$peers/perf/run-perf.sh" > "$out/run-perf.out" 2>&1 \
  || die "run-perf.sh failed: $(tail -5 "$out/run-perf.out")"
kill $ours 2>/dev/null; wait $ours 2>/dev/null
grep -q "validate ours unary128.*OK" "$out/perf/validate.txt" || die "ours failed run-perf's validation: $(cat "$out/perf/validate.txt")"

# 3b. Server CPU per request at 8x32 (run-perf.sh does not measure an EXTRA server's CPU, and on a
#     2-core machine h2load itself caps req/s near the fastest servers): a fixed 300,000 UnaryCalls
#     per server, interleaved, 3 rounds, CPU = utime+stime of the server process.
say "server CPU µs/request at 8x32 (ours, cpp-cb, nghttpd)"
taskset -c 0 "$intentd" --threads 1 --test-service --host 127.0.0.1 --port 50500 > "$out/intentd-cpu.log" 2>&1 &
cpu_ours=$!; pids+=($cpu_ours)
taskset -c 0 "$peers/cpp/interop_server" --port=50556 --callback > "$out/cpp-cb-cpu.log" 2>&1 &
cpu_cb=$!; pids+=($cpu_cb)
mkdir -p "$out/www/grpc.testing.TestService"; head -c 139 /dev/zero > "$out/www/grpc.testing.TestService/UnaryCall"
taskset -c 0 nghttpd --no-tls --trailer=grpc-status:0 -d "$out/www" 50555 > /dev/null 2>&1 &
cpu_ng=$!; pids+=($cpu_ng)
wait_port 50500 && wait_port 50556 && wait_port 50555 || die "CPU-measurement servers did not start"
H=(-H 'content-type: application/grpc' -H 'te: trailers')
echo "round,peer,requests,seconds,server_cpu_s,us_per_req" > "$out/cpu.csv"
for r in 1 2 3; do
  for spec in "ours:50500:$cpu_ours" "cpp-cb:50556:$cpu_cb" "nghttpd:50555:$cpu_ng"; do
    IFS=: read -r name port pid <<< "$spec"
    c0=$(awk '{print $14+$15}' /proc/$pid/stat)
    # "finished in 1.23s, ..." or "finished in 987.65ms, ..." -> seconds
    secs=$(taskset -c 1 h2load -t 1 -c 8 -m 32 -n 300000 "${H[@]}" -d "$peers/perf/unary128.bin" \
      http://127.0.0.1:$port/grpc.testing.TestService/UnaryCall | grep -a '^finished' \
      | awk '{v=$3; sub(",", "", v); if (v ~ /ms$/) {sub("ms", "", v); v=v/1000} else {sub("s", "", v)}; printf "%.3f", v}')
    c1=$(awk '{print $14+$15}' /proc/$pid/stat)
    echo "$r,$name,300000,$secs,$(awk -v a=$c0 -v b=$c1 'BEGIN{printf "%.2f", (b-a)/100}'),$(awk -v a=$c0 -v b=$c1 'BEGIN{printf "%.2f", (b-a)*10000/300000}')" >> "$out/cpu.csv"
  done
done
kill $cpu_ours $cpu_cb $cpu_ng 2>/dev/null; wait $cpu_ours $cpu_cb $cpu_ng 2>/dev/null
fi  # SKIP_PERF (reuse the previous run-perf.sh and CPU results in $out)

# 4. All cores (2 loops, nothing pinned; h2load shares the machine).
say "all cores: intentd --threads 2, h2load 8x32 unpinned"
start_any_port "$out/intentd-all.log" --threads 2 --test-service
all=$started_pid
H=(-H 'content-type: application/grpc' -H 'te: trailers')
h2load -t 1 -c 8 -m 32 -D 8 --warm-up-time 2 "${H[@]}" -d "$peers/perf/unary128.bin" \
  http://127.0.0.1:$port/grpc.testing.TestService/UnaryCall > "$out/all-cores.out" 2>&1
allrps=$(grep -a '^finished' "$out/all-cores.out" | sed -E 's/.*, ([0-9.]+) req\/s.*/\1/')
kill $all 2>/dev/null; wait $all 2>/dev/null

# 5. RSS at 1,000 idle connections (one loop).
say "RSS at 1,000 idle h2c connections"
start_any_port "$out/intentd-idle.log" --threads 1 --test-service
idle=$started_pid
rss0=$(awk '/VmRSS/{print $2}' /proc/$idle/status)
python3 "$root/Tools/idle-h2c-connections.py" 127.0.0.1 $port 1000 15 > "$out/idle.out" 2>&1 &
holder=$!; pids+=($holder)
for _ in $(seq 1 100); do grep -q ready "$out/idle.out" 2>/dev/null && break; sleep 0.1; done
grep -q "ready 1000" "$out/idle.out" || die "idle connections failed: $(cat "$out/idle.out")"
sleep 1
rss1=$(awk '/VmRSS/{print $2}' /proc/$idle/status)
kill $holder 2>/dev/null; kill $idle 2>/dev/null; wait 2>/dev/null

# 6. Report.
summary="$out/perf/summary.md"
python3 - "$out/perf/raw.csv" "$allrps" "$rss0" "$rss1" "$out/cpu.csv" > "$out/ratios.md" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
cpu_rows = list(csv.reader(open(sys.argv[5])))  # peer = column 2, µs/request = last column
def cpu(peer):
    xs = [float(r[-1]) for r in cpu_rows[1:] if len(r) >= 6 and r[1] == peer]
    return statistics.median(xs) if xs else 0.0
def med(peer, w, l, key):
    xs = [float(r[key] or 0) for r in rows if r["peer"] == peer and r["workload"] == w and r["level"] == l]
    return statistics.median(xs) if xs else 0.0
o = lambda l, k="rps": med("ours", "unary128", l, k)
cb = lambda l, k="rps": med("cpp-cb", "unary128", l, k)
ng = lambda l, k="rps": med("nghttpd", "unary128", l, k)
def ratio(a, b): return f"{a / b:.2f}x" if b else "n/a"
def mark(ok): return "met" if ok else "**missed**"
print("| target (UnaryCall 128 B, one server core) | ours | anchor | ratio | |")
print("|---|---:|---:|---:|---|")
print(f"| 8x32 req/s ≥ 2x C++ callback | {o('c8m32'):,.0f} | {cb('c8m32'):,.0f} | {ratio(o('c8m32'), cb('c8m32'))} | {mark(o('c8m32') >= 2 * cb('c8m32'))} |")
print(f"| 8x32 p99 lower than C++ callback (µs) | {o('c8m32','p99_us'):,.0f} | {cb('c8m32','p99_us'):,.0f} | {ratio(o('c8m32','p99_us'), cb('c8m32','p99_us'))} | {mark(o('c8m32','p99_us') < cb('c8m32','p99_us'))} |")
print(f"| 1x1 p50 within 20% of nghttpd (µs) | {o('c1m1','p50_us'):,.0f} | {ng('c1m1','p50_us'):,.0f} | {ratio(o('c1m1','p50_us'), ng('c1m1','p50_us'))} | {mark(o('c1m1','p50_us') <= 1.2 * ng('c1m1','p50_us'))} |")
print(f"| 8x32 server CPU µs/request (capacity; lower is better) vs C++ callback | {cpu('ours'):.2f} | {cpu('cpp-cb'):.2f} | {ratio(cpu('cpp-cb'), cpu('ours'))} more requests per CPU-second | {mark(cpu('ours') * 2 <= cpu('cpp-cb'))} |")
print(f"| 8x32 server CPU µs/request vs nghttpd (static file) | {cpu('ours'):.2f} | {cpu('nghttpd'):.2f} | {ratio(cpu('ours'), cpu('nghttpd'))} | |")
print(f"| 8x32 req/s ≥ 50% of nghttpd | {o('c8m32'):,.0f} | {ng('c8m32'):,.0f} | {ratio(o('c8m32'), ng('c8m32'))} | {mark(o('c8m32') >= 0.5 * ng('c8m32'))} |")
print()
print(f"- All cores (`intentd --threads 2`, nothing pinned, h2load 8x32 on the same 2 cores): **{float(sys.argv[2] or 0):,.0f} req/s**.")
print(f"- RSS with 1,000 idle h2c connections (preface + SETTINGS exchanged, 1 loop): **{int(sys.argv[4]) / 1024:.1f} MiB** "
      f"(idle server before: {int(sys.argv[3]) / 1024:.1f} MiB; ≈ {(int(sys.argv[4]) - int(sys.argv[3])) / 1000:.1f} KiB per connection).")
PY
cat "$out/ratios.md"
cat "$summary"
[ -n "${NO_WRITE:-}" ] && exit 0

section="$out/section.md"
{
  echo "<!-- transport:begin (written by Tools/bench-transport.sh; edit the script, not this section) -->"
  echo "## Transport: intentd vs. gRPC peers (UnaryCall / EmptyCall, h2load)"
  echo
  echo "Command: \`Tools/bench-transport.sh\` ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -r))."
  echo "Ours: \`taskset -c 0 intentd --threads 1 --test-service --port 50500\`, measured by"
  echo "\`EXTRA=\"ours=127.0.0.1:50500\" .build/peers/perf/run-perf.sh\` (servers on CPU 0, h2load on CPU 1,"
  echo "interleaved rounds, median). Compare ratios within this run only; absolute numbers move between runs."
  echo
  cat "$out/ratios.md"
  echo
  cat "$summary"
  echo
  if [ -f "$root/Tools/bench-transport-notes.md" ]; then cat "$root/Tools/bench-transport-notes.md"; echo; fi
  echo "<!-- transport:end -->"
} > "$section"
python3 - "$root/BENCHMARKS.md" "$section" <<'PY'
import os, re, sys
path, section = sys.argv[1], open(sys.argv[2]).read().rstrip() + "\n"
text = open(path).read() if os.path.exists(path) else "# ReplyIntent benchmarks\n\n"
pattern = re.compile(r"<!-- transport:begin.*?<!-- transport:end -->\n?", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
say "BENCHMARKS.md transport section written"
