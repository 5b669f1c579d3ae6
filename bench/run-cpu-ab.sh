#!/usr/bin/env bash
# Interleaved A/B/C… of cache-miss workloads between any number of server variants, for differences of a few percent
# on a busy machine: every variant runs side by side (idle when not measured), plain wrk visits them in turn with the
# order rotating each round, and the figure that matters is server CPU ms per request (it suffers less from
# neighbours than req/s). Prints per-round rows, then per variant the median and min–max of req/s and CPU ms/request,
# and the paired per-round ratios against the first variant.
#
#   TARGETS="base new" DIR_base=/var/tmp/perf-base bench/run-cpu-ab.sh
#   TARGETS="new gcws old sharp" DIR_gcws=$PWD ENV_gcws="DOTNET_gcServer=0" DIR_old=/work/bench-old \
#     SHARP_DIR=/var/tmp/imgbench/peers ROUNDS=6 WORKLOADS="W1 W3" bench/run-cpu-ab.sh
#
# Per variant NAME: DIR_NAME a checkout with a Release build (default: this tree; "sharp" is raw sharp from
# SHARP_DIR), ARGS_NAME extra server options, ENV_NAME extra environment (space-separated K=V).
# ROUNDS (5), CONC (4), DURATION (10 s), WARMUP (3 s per variant and workload, before each round's measurement),
# PREWARM (30 s per variant, once, cycling the workloads): a .NET server keeps re-compiling hot methods at tier 1 for
# about a minute under load (libclrjit was 3.5 % of the server's CPU 12–27 s after start, 0.5 % after two minutes),
# and a build with more code pays more of that, so short runs on fresh servers compare JIT, not requests.
# The URL lists and the wrk script are the shared harness's (../shared/bench), so figures compare with run-ab.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$BENCH/lib/engine.sh"
TARGETS="${TARGETS:-new}" ROUNDS="${ROUNDS:-5}" CONC="${CONC:-4}" DURATION="${DURATION:-10}" WARMUP="${WARMUP:-3}"
WORKLOADS="${WORKLOADS:-W1 W3}"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/imageproxy-cpu-ab.XXXXXX")"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
write_sources "$TMP/sources.json"

wait_ready() { # URL PID LOG
  for _ in $(seq 1 300); do
    kill -0 "$2" 2>/dev/null || { say "exited:"; cat "$3" >&2; return 1; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
    sleep 0.2
  done
  return 1
}

declare -A PORT PID
port=8290
for t in $TARGETS; do
  port=$((port + 1)); PORT[$t]=$port
  dir_var="DIR_$t" args_var="ARGS_$t" env_var="ENV_$t"
  if [ "$t" = sharp ]; then
    : "${SHARP_DIR:?set SHARP_DIR for the sharp target}"
    (cd "$SHARP_DIR" && ROOT="$(dirname "$CORPUS")" PORT=$port HOST=127.0.0.1 exec node sharp-server.mjs) >"$TMP/$t.log" 2>&1 &
    pids+=($!); PID[$t]=$!
    wait_ready "http://127.0.0.1:$port/public/photo-garden-2560x1600.jpg?w=16" $! "$TMP/$t.log"
    continue
  fi
  dir="${!dir_var:-$ROOT}"
  # shellcheck disable=SC2086 # ARGS_/ENV_ are word lists on purpose
  (cd "$dir" && exec env Logging__LogLevel__Default=Warning ${!env_var:-} \
    dotnet src/ImageProxy.Server/bin/Release/net10.0/ImageProxy.Server.dll \
    --urls "http://127.0.0.1:$port" --sources "$TMP/sources.json" --no-result-cache ${!args_var:-}) >"$TMP/$t.log" 2>&1 &
  pids+=($!); PID[$t]=$!
  wait_ready "http://127.0.0.1:$port/_imageproxy/health/ready" $! "$TMP/$t.log"
done
for wl in $WORKLOADS; do make_urls imgix "$wl" "" >"$TMP/urls-$wl.txt"; done

cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12+$13}'; }
run_wrk() { # TARGET WORKLOAD SECONDS NONCE -> "requests"
  WRK_URLS="$TMP/urls-$2.txt" WRK_NONCE="$4" wrk -t2 -c"$CONC" -d"$3s" --timeout 60s -s "$BENCH/lib/urls.lua" \
    "http://127.0.0.1:${PORT[$1]}" | awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "requests") print kv[2] } }'
}

targets=($TARGETS)
if [ "${PREWARM:-30}" -gt 0 ]; then
  wls=($WORKLOADS)
  for t in "${targets[@]}"; do
    for wl in "${wls[@]}"; do run_wrk "$t" "$wl" $(( ${PREWARM:-30} / ${#wls[@]} + 1 )) "p$t$RANDOM" >/dev/null; done
  done
  say "pre-warmed"
fi
tck=$(getconf CLK_TCK)
printf 'round\tworkload\ttarget\treq_s\tcpu_ms\n' >"$TMP/ab.tsv"
for round in $(seq 1 "$ROUNDS"); do
  shift_by=$(( (round - 1) % ${#targets[@]} ))
  order=("${targets[@]:$shift_by}" "${targets[@]:0:$shift_by}")
  for wl in $WORKLOADS; do
    for t in "${order[@]}"; do
      [ "$WARMUP" -gt 0 ] && run_wrk "$t" "$wl" "$WARMUP" "w$round$t$RANDOM" >/dev/null
      c0=$(cpu_ticks "${PID[$t]}")
      requests=$(run_wrk "$t" "$wl" "$DURATION" "m$round$t$RANDOM")
      c1=$(cpu_ticks "${PID[$t]}")
      awk -v r="$round" -v w="$wl" -v t="$t" -v n="$requests" -v d="$DURATION" -v c0="$c0" -v c1="$c1" -v tck="$tck" \
        'BEGIN { printf "%s\t%s\t%s\t%.1f\t%.2f\n", r, w, t, n / d, (c1 - c0) * 1000 / tck / n }' | tee -a "$TMP/ab.tsv" >&2
    done
  done
done
python3 - "$TMP/ab.tsv" "${targets[0]}" <<'PY'
import csv, sys, statistics as st
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
ref = sys.argv[2]
by = {}
for r in rows:
    by.setdefault((r["workload"], r["target"]), {})[r["round"]] = (float(r["req_s"]), float(r["cpu_ms"]))
fmt = lambda xs, f="{:.2f}": f"{f.format(st.median(xs))} ({f.format(min(xs))}–{f.format(max(xs))})"
print("workload\ttarget\treq/s median (min–max)\tCPU ms/req median (min–max)\treq/s vs %s\tCPU vs %s" % (ref, ref))
for (wl, t), rounds in sorted(by.items()):
    rps = [v[0] for v in rounds.values()]; cpu = [v[1] for v in rounds.values()]
    base = by.get((wl, ref), {})
    paired = [k for k in rounds if k in base]
    rr = [rounds[k][0] / base[k][0] for k in paired]; cr = [rounds[k][1] / base[k][1] for k in paired]
    print(f"{wl}\t{t}\t{fmt(rps, '{:.1f}')}\t{fmt(cpu)}\t{fmt(rr, '{:.3f}')}\t{fmt(cr, '{:.3f}')}")
PY
