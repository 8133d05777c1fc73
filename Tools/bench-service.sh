#!/bin/bash
# Service benchmark: the ReplyIntent RPCs on one server core next to the C++ gRPC callback server's
# trivial UnaryCall (same run, alternating), StreamConversations on one stream, a model reload under
# load, and memory with 100 tenant models. Writes the "ReplyIntent service" section of BENCHMARKS.md.
#
#   Tools/bench-service.sh             # build release, measure everything, write BENCHMARKS.md's service section
#
# Environment: SCRATCH (SwiftPM scratch path, default .build-bench), PEERS (built peers; default .build/peers or
# ../peers-build, else ../shared/peers is copied to .build/peers and built), OUT (results, default $SCRATCH/bench-service),
# REPS (rounds, 3), DUR/WARM (h2load seconds per measurement/warm-up, 5/1), LEVELS ("c1m1 c8m32"),
# LANGS (buyer messages to use, default "en es th zh ar de"), STREAM_N (messages on one stream, 100000),
# RELOADS (model swaps, 6), RELOAD_GAP (seconds between swaps, 1.5), TENANTS (100),
# STEPS (subset of "unary stream reload tenants"; STEPS=none rewrites the section from the results already in $OUT),
# SKIP_BUILD=1, NO_WRITE=1 (don't touch BENCHMARKS.md).
#
# Steps: 1. swift build -c release (intentd, intentctl)  2. request bodies (Tools/bench-service.py, grpcio stubs in
# $OUT/py)  3. unary: `taskset -c 0 intentd --threads 1` and `taskset -c 0 interop_server --callback`, h2load on CPU 1,
# every round runs C++ UnaryCall 128 B, then ClassifyIntent and SuggestReply once per buyer message, at each level
# 4. StreamConversations: intentctl stream and a grpcio client, N messages on one stream  5. reload: h2load 8x32
# ClassifyIntent without and with the default model file swapped RELOADS times  6. 100 tenants: load time, RSS.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd); cd "$root"
scratch=${SCRATCH:-.build-bench}
out=${OUT:-$root/$scratch/bench-service}; mkdir -p "$out"
REPS=${REPS:-3}; DUR=${DUR:-5}; WARM=${WARM:-1}
LEVELS=${LEVELS:-"c1m1 c8m32"}
LANGS=${LANGS:-"en es th zh ar de"}
STREAM_N=${STREAM_N:-100000}
RELOADS=${RELOADS:-6}; RELOAD_GAP=${RELOAD_GAP:-1.5}
TENANTS=${TENANTS:-100}
STEPS=${STEPS:-"unary stream reload tenants"}
CPP_PORT=${CPP_PORT:-50656}
say() { echo "== $*" >&2; }
die() { echo "bench-service: $*" >&2; exit 1; }
step() { [[ " $STEPS " == *" $1 "* ]]; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
wait_port() { for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }
# start_server LOG PIN ARGS...: starts intentd (pinned to CPU PIN unless PIN is "-") on port 0; sets $port and $spid.
start_server() {
  local log=$1 pin=$2; shift 2
  if [ "$pin" = "-" ]; then "$intentd" "$@" --host 127.0.0.1 --port 0 > "$log" 2>&1 &
  else taskset -c "$pin" "$intentd" "$@" --host 127.0.0.1 --port 0 > "$log" 2>&1 &
  fi
  spid=$!; pids+=($spid)
  for _ in $(seq 1 600); do
    port=$(sed -nE 's/^intentd listening on h2c 127\.0\.0\.1:([0-9]+)$/\1/p' "$log" 2>/dev/null | head -1)
    [ -n "$port" ] && return 0
    kill -0 $spid 2>/dev/null || die "intentd exited: $(tail -5 "$log")"
    sleep 0.05
  done
  die "intentd did not start: $(tail -5 "$log")"
}
stop_server() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
cpu_ticks() { awk '{print $14+$15}' /proc/$1/stat; }
rss_kib() { awk '/VmRSS/{print $2}' /proc/$1/status; }
# latency percentiles (µs) from an h2load --log-file: "p50,p90,p99"
pct() {
  python3 - "$1" <<'EOF'
import sys
v = sorted(int(l.split('\t')[2]) for l in open(sys.argv[1]) if l.count('\t') == 2)
q = lambda p: v[min(len(v) - 1, int(p * len(v)))] if v else 0
print("%d,%d,%d" % (q(.5), q(.9), q(.99)))
EOF
}
H=(-H 'content-type: application/grpc' -H 'te: trailers')

# 1. Release build.
if [ -z "${SKIP_BUILD:-}" ]; then
  for product in intentd intentctl; do
    say "swift build -c release --product $product"
    swift build -c release --scratch-path "$scratch" --product $product >&2 || die "build of $product failed"
  done
fi
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)
intentd=$bin/intentd; intentctl=$bin/intentctl
[ -x "$intentd" ] || die "no intentd at $intentd"

# Peers (C++ callback server, grpcio venv).
peers=${PEERS:-}
if [ -z "$peers" ]; then
  for cand in "$root/.build/peers" "$(dirname "$root")/peers-build"; do
    [ -x "$cand/cpp/interop_server" ] && [ -x "$cand/py/venv/bin/python" ] && { peers=$cand; break; }
  done
fi
if [ -z "$peers" ]; then
  peers=$root/.build/peers
  [ -d "$peers" ] || cp -r "$(dirname "$root")/shared/peers" "$peers" || die "copying peers failed"
  [ -x "$peers/cpp/interop_server" ] || { say "building C++ peers"; "$peers/cpp/build.sh" >&2 || die "cpp/build.sh failed"; }
  [ -x "$peers/py/venv/bin/python" ] || { say "building Python peers"; "$peers/py/build.sh" >&2 || die "py/build.sh failed"; }
fi
for tool in h2load nghttp taskset python3; do command -v $tool >/dev/null || die "$tool missing (apt: nghttp2-client util-linux python3)"; done
py=$peers/py/venv/bin/python

# 2. Stubs and request bodies.
export BENCH_PY_STUBS=$out/py
mkdir -p "$out/py" "$out/bodies"
"$py" -m grpc_tools.protoc -I Protos --python_out="$out/py" --grpc_python_out="$out/py" \
  Protos/replyintent/v1/replyintent.proto Protos/replyintent/v1/admin.proto || die "grpc_tools.protoc failed"
"$py" Tools/bench-service.py bodies "$out/bodies" > /dev/null || die "writing request bodies failed"
ulimit -n 8192 2>/dev/null || true
path_of() { case $1 in cpp) echo /grpc.testing.TestService/UnaryCall;; classify) echo /replyintent.v1.ReplyIntent/ClassifyIntent;; suggest) echo /replyintent.v1.ReplyIntent/SuggestReply;; esac; }
body_of() { case $1 in cpp) echo "$peers/perf/unary128.bin";; *) echo "$out/bodies/$1-$2.bin";; esac; }
level_args() { local c=${1#c}; c=${c%m*}; local m=${1#*m}; echo "-c $c -m $m"; }

# 3. Unary RPCs next to C++ UnaryCall, one server core each, h2load on the other.
if step unary; then
  say "unary: intentd and C++ callback server pinned to CPU 0, h2load on CPU 1"
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$out/unary-meta.txt"
  start_server "$out/intentd-unary.log" 0 --threads 1
  ours=$spid; ours_port=$port
  sleep 0.5; rss_default=$(rss_kib $ours); echo "$rss_default" > "$out/rss-default-only.txt"
  taskset -c 0 "$peers/cpp/interop_server" --port=$CPP_PORT --callback > "$out/cpp-cb.log" 2>&1 &
  cpp=$!; pids+=($cpp)
  wait_port $CPP_PORT || die "C++ interop_server did not start"
  # Validation: grpc-status 0 from nghttp, and h2load's data bytes = N x the one response size.
  : > "$out/validate.txt"
  targets="cpp:-"; for l in $LANGS; do targets="$targets classify:$l suggest:$l"; done
  for t in $targets; do
    IFS=: read -r rpc lang <<< "$t"
    p=$ours_port; [ $rpc = cpp ] && p=$CPP_PORT
    url=http://127.0.0.1:$p$(path_of $rpc)
    st=$(nghttp -v -H ':method: POST' "${H[@]}" -d "$(body_of $rpc $lang)" "$url" 2>&1 | grep -a -o 'grpc-status: [0-9]*' | tail -1)
    len=$(nghttp -H ':method: POST' "${H[@]}" -d "$(body_of $rpc $lang)" "$url" 2>/dev/null | wc -c)
    data=$(taskset -c 1 h2load -t 1 -n 2000 -c 1 -m 10 "${H[@]}" -d "$(body_of $rpc $lang)" "$url" | grep -a '^traffic' | sed -E 's/.*, ([0-9.A-Za-z]+) \(([0-9]+)\) data/\2/')
    ok=OK; [ "$st" = "grpc-status: 0" ] && [ "$data" = "$((2000 * len))" ] || ok=BAD
    echo "validate $rpc $lang: '$st', response $len bytes, h2load data $data (want $((2000 * len))) -> $ok" | tee -a "$out/validate.txt" >&2
    [ $ok = OK ] || die "validation failed for $rpc $lang"
  done
  echo "round,rpc,lang,level,rps,succeeded,failed,p50_us,p90_us,p99_us,server_cpu_s,cpu_us_per_req" > "$out/unary.csv"
  for r in $(seq 1 $REPS); do
    for l in $LEVELS; do
      order=($targets); k=$(( (r - 1) % ${#order[@]} )); order=("${order[@]:k}" "${order[@]:0:k}")
      for t in "${order[@]}"; do
        IFS=: read -r rpc lang <<< "$t"
        p=$ours_port; pid=$ours; [ $rpc = cpp ] && { p=$CPP_PORT; pid=$cpp; }
        log=$out/req.log; rm -f "$log"
        c0=$(cpu_ticks $pid)
        res=$(taskset -c 1 h2load -t 1 $(level_args $l) -D $DUR --warm-up-time $WARM --log-file="$log" "${H[@]}" \
          -d "$(body_of $rpc $lang)" http://127.0.0.1:$p$(path_of $rpc) 2>&1)
        c1=$(cpu_ticks $pid)
        rps=$(echo "$res" | grep -a '^finished' | sed -E 's/.*, ([0-9.]+) req\/s.*/\1/')
        succ=$(echo "$res" | grep -a '^requests' | sed -E 's/.* ([0-9]+) succeeded, ([0-9]+) failed.*/\1/')
        fail=$(echo "$res" | grep -a '^requests' | sed -E 's/.* ([0-9]+) succeeded, ([0-9]+) failed.*/\2/')
        lat=$(pct "$log")
        # CPU over warm-up + measurement divided by the requests of that time at the measured rate.
        cpu=$(awk -v a=$c0 -v b=$c1 'BEGIN{printf "%.2f", (b-a)/100}')
        us=$(awk -v c=$cpu -v r="$rps" -v d=$((DUR + WARM)) 'BEGIN{ if (r > 0) printf "%.2f", c * 1e6 / (r * d); else print 0 }')
        IFS=, read -r p50 p90 p99 <<< "$lat"
        echo "$r,$rpc,$lang,$l,$rps,$succ,$fail,$p50,$p90,$p99,$cpu,$us" | tee -a "$out/unary.csv" >&2
      done
    done
  done
  rm -f "$out/req.log"
  stop_server $cpp
  stop_server $ours
fi

# 4. StreamConversations on one stream: intentctl stream (our client) and grpcio.
if step stream; then
  say "StreamConversations: $STREAM_N messages on one stream (server on CPU 0, client on CPU 1)"
  "$py" Tools/bench-service.py stream-jsonl "$STREAM_N" "$out/stream.jsonl"
  start_server "$out/intentd-stream.log" 0 --threads 1
  s=$spid
  echo "client,run,messages,seconds,msgs_per_s,server_cpu_us_per_msg" > "$out/stream.csv"
  for run in 1 2 3; do
    c0=$(cpu_ticks $s)
    t0=$(date +%s.%N)
    taskset -c 1 "$intentctl" stream --server_port $port "$out/stream.jsonl" > "$out/stream-out.jsonl" 2> "$out/stream-err.txt" \
      || die "intentctl stream failed: $(tail -3 "$out/stream-err.txt")"
    t1=$(date +%s.%N)
    c1=$(cpu_ticks $s)
    got=$(grep -c '"classification"' "$out/stream-out.jsonl")
    [ "$got" = "$STREAM_N" ] || die "intentctl stream: sent $STREAM_N, got $got classifications"
    awk -v n=$STREAM_N -v a=$t0 -v b=$t1 -v c0=$c0 -v c1=$c1 -v r=$run 'BEGIN{printf "intentctl,%d,%d,%.3f,%.0f,%.2f\n", r, n, b-a, n/(b-a), (c1-c0)*1e4/n}' | tee -a "$out/stream.csv" >&2
    c0=$(cpu_ticks $s)
    res=$(taskset -c 1 "$py" Tools/bench-service.py stream 127.0.0.1 $port "$STREAM_N") || die "grpcio stream failed"
    c1=$(cpu_ticks $s)
    echo "$res" | python3 -c "import json,sys; d=json.load(sys.stdin); print('python-grpcio,$run,%d,%.3f,%d,%.2f' % (d['messages'], d['seconds'], d['msgs_per_s'], ($c1-$c0)*1e4/d['messages']))" | tee -a "$out/stream.csv" >&2
  done
  rm -f "$out/stream-out.jsonl"
  stop_server $s
fi

# 5. Reload under load: h2load 8x32 ClassifyIntent without, then with RELOADS swaps of the default model file.
if step reload; then
  say "reload under load: $RELOADS swaps of the shared default model during h2load 8x32 ClassifyIntent"
  rdir=$out/reload; rm -rf "$rdir"; mkdir -p "$rdir/served"
  cp models/default.rimodel "$rdir/a.rimodel"
  "$py" Tools/bench-service.py variant "$rdir/a.rimodel" "$rdir/b.rimodel" > /dev/null || die "making the model variant failed"
  cp "$rdir/a.rimodel" "$rdir/served/default.rimodel"
  start_server "$out/intentd-reload.log" 0 --threads 1 --model "$rdir/served/default.rimodel"
  s=$spid
  url=http://127.0.0.1:$port$(path_of classify)
  body=$(body_of classify en)
  len=$(nghttp -H ':method: POST' "${H[@]}" -d "$body" "$url" 2>/dev/null | wc -c)
  # Fixed request counts (so every response is counted): about (RELOADS x GAP + 3) seconds at the probed rate.
  rate=$(taskset -c 1 h2load -t 1 -c 8 -m 32 -D 2 "${H[@]}" -d "$body" "$url" | grep -a '^finished' | sed -E 's/.*, ([0-9.]+) req\/s.*/\1/')
  n=$(awk -v r="$rate" -v k=$RELOADS -v g=$RELOAD_GAP 'BEGIN{printf "%d", r * (k * g + 3)}')
  echo "phase,requests,succeeded,failed,data_bytes,expected_bytes,rps,p50_us,p90_us,p99_us,max_us" > "$out/reload.csv"
  for phase in steady reloading; do
    log=$rdir/h2load-$phase.log
    taskset -c 1 h2load -t 1 -c 8 -m 32 -n $n --log-file="$log" "${H[@]}" -d "$body" "$url" > "$rdir/h2load-$phase.out" 2>&1 &
    h2=$!
    if [ $phase = reloading ]; then
      sleep 0.5
      taskset -c 1 "$py" Tools/bench-service.py reload 127.0.0.1 $port "$rdir/served/default.rimodel" "$rdir/a.rimodel" "$rdir/b.rimodel" \
        $RELOADS $RELOAD_GAP > "$rdir/reload.json" 2> "$rdir/reload.err" || die "reload client failed: $(tail -3 "$rdir/reload.err")"
      kill -0 $h2 2>/dev/null || say "warning: h2load finished before the last reload; raise the request count"
    fi
    wait $h2
    res=$(cat "$rdir/h2load-$phase.out")
    rps=$(echo "$res" | grep -a '^finished' | sed -E 's/.*, ([0-9.]+) req\/s.*/\1/')
    succ=$(echo "$res" | grep -a '^requests' | sed -E 's/.* ([0-9]+) succeeded, ([0-9]+) failed.*/\1/')
    fail=$(echo "$res" | grep -a '^requests' | sed -E 's/.* ([0-9]+) succeeded, ([0-9]+) failed.*/\2/')
    data=$(echo "$res" | grep -a '^traffic' | sed -E 's/.*, ([0-9.A-Za-z]+) \(([0-9]+)\) data/\2/')
    lat=$(python3 - "$log" <<'EOF'
import sys
v = sorted(int(l.split('\t')[2]) for l in open(sys.argv[1]) if l.count('\t') == 2)
q = lambda p: v[min(len(v) - 1, int(p * len(v)))]
print("%d,%d,%d,%d" % (q(.5), q(.9), q(.99), v[-1]))
EOF
)
    echo "$phase,$n,$succ,$fail,$data,$((n * len)),$rps,$lat" | tee -a "$out/reload.csv" >&2
  done
  cat "$rdir/reload.json" >&2
  grep -c "loaded" "$out/intentd-reload.log" > "$rdir/loaded-lines.txt" || true
  stop_server $s
fi

# 6. Memory with TENANTS tenant models (each tenant's models/default.rimodel, hard links: loaded separately).
if step tenants; then
  say "$TENANTS tenant models: load time and RSS"
  tdir=$out/tenants; rm -rf "$tdir"; mkdir -p "$tdir"
  BENCH_MODEL=$root/models/default.rimodel "$py" Tools/bench-service.py tenants "$tdir" "$TENANTS" || die "making tenants failed"
  budget=$(( (TENANTS + 2) * 40 ))
  t0=$(date +%s.%N)
  start_server "$out/intentd-tenants.log" - --threads 1 --tenants-dir "$tdir/tenants" --tokens-file "$tdir/tokens.yaml" \
    --memory-budget-mb $budget --scan-interval 3600
  t1=$(date +%s.%N)
  s=$spid
  rss_loaded=$(rss_kib $s)
  touch_res=$("$py" Tools/bench-service.py touch 127.0.0.1 $port "$tdir/tokens.txt") || die "touching the tenants failed"
  sleep 0.5
  rss_touched=$(rss_kib $s)
  hwm=$(awk '/VmHWM/{print $2}' /proc/$s/status)
  rss_default=$(cat "$out/rss-default-only.txt" 2>/dev/null || echo 0)
  model_bytes=$(stat -c %s models/default.rimodel)
  loads=$(grep -c 'loaded t[0-9]' "$out/intentd-tenants.log" || true)
  echo "{\"tenants\": $TENANTS, \"startup_s\": $(awk -v a=$t0 -v b=$t1 'BEGIN{printf "%.2f", b-a}'), \"rss_after_start_kib\": $rss_loaded, \"rss_after_touch_kib\": $rss_touched, \"vmhwm_kib\": $hwm, \"rss_default_only_kib\": $rss_default, \"model_file_bytes\": $model_bytes, \"budget_mb\": $budget, \"touch\": $touch_res}" > "$out/tenants.json"
  cat "$out/tenants.json" >&2
  stop_server $s
  rm -rf "$tdir/tenants"
fi

# 7. Report.
python3 - "$out" "$DUR" "$WARM" "$REPS" "$STREAM_N" "$RELOADS" "$RELOAD_GAP" > "$out/section-body.md" <<'PY'
import csv, json, os, statistics, sys
out, dur, warm, reps, stream_n, reloads, gap = sys.argv[1:8]
med = statistics.median
def rows(name):
    p = os.path.join(out, name)
    return list(csv.DictReader(open(p))) if os.path.exists(p) else []
u = rows("unary.csv")
if u:
    levels = sorted({r["level"] for r in u}, key=lambda l: (len(l), l))
    langs = [l for l in dict.fromkeys(r["lang"] for r in u if r["rpc"] != "cpp")]
    def m(rpc, lang, level, key):
        xs = [float(r[key] or 0) for r in u if r["rpc"] == rpc and r["lang"] == lang and r["level"] == level]
        return med(xs) if xs else 0.0
    def mean_over(rpc, level, key):
        return statistics.mean(m(rpc, l, level, key) for l in langs)
    name = {"1x1": "1 x 1", "8x32": "8 x 32"}
    lvl = lambda l: l[1:].replace("m", " x ")
    print("| target (one server core, same run) | ours | C++ UnaryCall | ratio | |")
    print("|---|---:|---:|---:|---|")
    for l in levels:
        c, cu = mean_over("classify", l, "rps"), m("cpp", "-", l, "rps")
        if l == "c8m32":
            print(f"| ClassifyIntent req/s ≥ 1.5x C++ trivial UnaryCall ({lvl(l)}; mean of {len(langs)} messages) | {c:,.0f} | {cu:,.0f} | {c / cu:.2f}x | {'met' if c >= 1.5 * cu else '**missed**'} |")
        else:
            print(f"| ClassifyIntent req/s vs C++ UnaryCall ({lvl(l)}, serial latency) | {c:,.0f} | {cu:,.0f} | {c / cu:.2f}x | |")
    c8 = mean_over("classify", "c8m32", "cpu_us_per_req"); cu8 = m("cpp", "-", "c8m32", "cpu_us_per_req")
    if c8 and cu8:
        print(f"| server CPU µs/request at 8 x 32 (lower is better) | {c8:.1f} | {cu8:.1f} | {cu8 / c8:.2f}x (C++ µs / ours) | |")
    s8 = mean_over("suggest", "c8m32", "rps")
    print(f"| SuggestReply req/s (8 x 32; mean of {len(langs)} messages) | {s8:,.0f} | {m('cpp', '-', 'c8m32', 'rps'):,.0f} | {s8 / m('cpp', '-', 'c8m32', 'rps'):.2f}x | |")
    print()
    print(f"Median of {reps} rounds per row, {dur} s each after {warm} s of warm-up; latency from h2load's per-request log.")
    print("Server CPU µs/request = (utime+stime of the server over warm-up + measurement) / (req/s x (warm-up + measurement)).")
    print()
    print("| RPC | message | level | req/s | p50 µs | p90 µs | p99 µs | server CPU µs/req | failed |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for l in levels:
        print(f"| C++ UnaryCall 128 B (callback) | — | {lvl(l)} | {m('cpp','-',l,'rps'):,.0f} | {m('cpp','-',l,'p50_us'):,.0f} | {m('cpp','-',l,'p90_us'):,.0f} | {m('cpp','-',l,'p99_us'):,.0f} | {m('cpp','-',l,'cpu_us_per_req'):.1f} | {m('cpp','-',l,'failed'):.0f} |")
        for rpc, label in (("classify", "ClassifyIntent"), ("suggest", "SuggestReply")):
            for lang in langs:
                print(f"| {label} | {lang} | {lvl(l)} | {m(rpc,lang,l,'rps'):,.0f} | {m(rpc,lang,l,'p50_us'):,.0f} | {m(rpc,lang,l,'p90_us'):,.0f} | {m(rpc,lang,l,'p99_us'):,.0f} | {m(rpc,lang,l,'cpu_us_per_req'):.1f} | {m(rpc,lang,l,'failed'):.0f} |")
            print(f"| **{label}** | **mean of {len(langs)}** | {lvl(l)} | **{mean_over(rpc,l,'rps'):,.0f}** | {mean_over(rpc,l,'p50_us'):,.0f} | {mean_over(rpc,l,'p90_us'):,.0f} | {mean_over(rpc,l,'p99_us'):,.0f} | {mean_over(rpc,l,'cpu_us_per_req'):.1f} | |")
    print()
st = rows("stream.csv")
if st:
    print(f"**StreamConversations, one stream** ({stream_n} buyer messages sent, {stream_n} classifications read; server on CPU 0, client on CPU 1; median of {len(st) // 2} runs):")
    print()
    print("| client | msgs/s | seconds | server CPU µs/msg |")
    print("|---|---:|---:|---:|")
    for client in dict.fromkeys(r["client"] for r in st):
        xs = [r for r in st if r["client"] == client]
        print(f"| {client} | {med(float(r['msgs_per_s']) for r in xs):,.0f} | {med(float(r['seconds']) for r in xs):.2f} | {med(float(r['server_cpu_us_per_msg']) for r in xs):.1f} |")
    print()
rl = rows("reload.csv")
if rl and os.path.exists(os.path.join(out, "reload", "reload.json")):
    rj = json.load(open(os.path.join(out, "reload", "reload.json")))
    d = rj["delays_ms"]
    print(f"**Reload under load** (h2load 8 x 32 ClassifyIntent, fixed request count; during the second run the shared default model file was")
    print(f"replaced {rj['reloads']} times, {gap} s apart, by copy + rename alternating between two valid files; a grpcio client polled ClassifyIntent")
    print(f"until the answer's ModelRef.version changed): rename → first answer from the new version **median {med(d):.0f} ms, max {max(d):.0f} ms**")
    print(f"(each: {', '.join(f'{x:.0f}' for x in d)} ms); versions seen: {', '.join(rj['versions'])}; poll errors {rj['poll_errors']}.")
    print()
    print("| phase | requests | failed (h2load) | gRPC errors (bytes check) | req/s | p50 µs | p90 µs | p99 µs | max µs |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rl:
        ok = "0" if r["data_bytes"] == r["expected_bytes"] else f"**{(int(r['expected_bytes']) - int(r['data_bytes'])) / max(1, int(r['expected_bytes']) // int(r['requests'])):.0f}**"
        print(f"| {r['phase']} | {int(r['requests']):,} | {r['failed']} | {ok} | {float(r['rps']):,.0f} | {int(r['p50_us']):,} | {int(r['p90_us']):,} | {int(r['p99_us']):,} | {int(r['max_us']):,} |")
    print()
    print("(\"gRPC errors\": h2load counts any HTTP 200 as success, so the data bytes received are compared with requests x the one")
    print("response size, which is the same for both model versions: an error answer carries no message and would show here.)")
    print()
tj = os.path.join(out, "tenants.json")
if os.path.exists(tj):
    t = json.load(open(tj))
    n = t["tenants"]; base = t["rss_default_only_kib"]
    per = (t["rss_after_touch_kib"] - base) / n / 1024 if base else 0
    print(f"**Memory with {n} tenant models** (`--tenants-dir` with {n} tenants, each `models/default.rimodel` = the {t['model_file_bytes'] / 1e6:.1f} MB default model")
    print(f"as a hard link, loaded separately; `--tokens-file` with {n} tokens; `--memory-budget-mb {t['budget_mb']}`): startup with every model loaded")
    print(f"**{t['startup_s']:.1f} s** ({t['startup_s'] * 1000 / (n + 1):.0f} ms per model, one thread); RSS **{t['rss_after_start_kib'] / 1024:,.0f} MiB** after start,")
    print(f"**{t['rss_after_touch_kib'] / 1024:,.0f} MiB** after one ClassifyIntent per tenant with its own token (each answered by its own model:")
    print(f"first call median {t['touch']['first_call_ms_median']} ms, max {t['touch']['first_call_ms_max']} ms); peak {t['vmhwm_kib'] / 1024:,.0f} MiB. A single-tenant server with")
    print(f"only the default model: {base / 1024:.0f} MiB, so **≈ {per:.1f} MiB per loaded model**.")
    print()
PY
cat "$out/section-body.md"
[ -n "${NO_WRITE:-}" ] && exit 0

section=$out/section.md
{
  echo "<!-- service:begin (written by Tools/bench-service.sh; edit the script, not this section) -->"
  echo "## ReplyIntent service (ClassifyIntent, SuggestReply, StreamConversations, reload, tenants)"
  echo
  echo "Command: \`Tools/bench-service.sh\` (unary rounds started $(cat "$out/unary-meta.txt" 2>/dev/null || echo '?'); section written $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores, $(uname -r))."
  echo "Ours: \`taskset -c 0 intentd --threads 1\` (single-tenant mode, shared default model); anchor: \`taskset -c 0 interop_server --callback\`"
  echo "(C++ gRPC 1.51, the trivial UnaryCall with a 128-byte payload, as in the transport section); h2load \`-t 1\` on CPU 1."
  echo "Rounds alternate: every round runs the C++ UnaryCall, then ClassifyIntent and SuggestReply once per buyer message"
  echo "(en, es, th, zh, ar, de: an order-status question, a return, a Thai delivery question, a refund for a broken item,"
  echo "a double charge, an angry counterfeit + chargeback threat; SuggestReply with 5 template variables). h2load sends one body"
  echo "per run, so each message is its own measurement and the headline is their mean. Compare ratios within this run only."
  echo
  cat "$out/section-body.md"
  if [ -f "$root/Tools/bench-service-notes.md" ]; then cat "$root/Tools/bench-service-notes.md"; echo; fi
  echo "<!-- service:end -->"
} > "$section"
python3 - "$root/BENCHMARKS.md" "$section" <<'PY'
import os, re, sys
path, section = sys.argv[1], open(sys.argv[2]).read().rstrip() + "\n"
text = open(path).read() if os.path.exists(path) else "# ReplyIntent benchmarks\n\n"
pattern = re.compile(r"<!-- service:begin.*?<!-- service:end -->\n?", re.S)
if pattern.search(text):
    text = pattern.sub(lambda _: section, text)
elif "\n## Classifier" in text:
    text = text.replace("\n## Classifier", "\n" + section + "\n## Classifier", 1)
else:
    text = text.rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
say "BENCHMARKS.md service section written"
