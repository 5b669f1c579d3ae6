#!/usr/bin/env bash
# Paired A/B of cache-miss workloads: two ImageProxy builds (and optionally raw sharp) side by side, visited in
# turn with the order rotating each round, because this machine drifts more than the differences measured.
#
#   OLD=/path/to/old/checkout bench/run-ab.sh            # old vs this tree, W1 and W3 at c=4, 5 rounds
#   SHARP_DIR=/var/tmp/imgbench/peers ROUNDS=7 WORKLOADS="W1 W3" CONC=4 DURATION=15 OLD=… bench/run-ab.sh
#
# OLD: another checkout, already built in Release (its server is started the way its own tree expects:
# `--libvips` is passed only when LIBVIPS_OLD is set). SHARP_DIR: a folder with sharp installed and the
# harness's peers/sharp-server.mjs (see ../shared/bench/README.md); when set, raw sharp is a third target.
# Output: a table of req/s and server CPU ms per request per round and target, and the per-round ratios.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${OLD:?set OLD to the other checkout}"
ROUNDS="${ROUNDS:-5}" CONC="${CONC:-4}" DURATION="${DURATION:-15}" WORKLOADS="${WORKLOADS:-W1 W3}"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/imageproxy-ab.XXXXXX")"
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
start_imageproxy() { # NAME TREE PORT [extra args]
  local name=$1 tree=$2 port=$3; shift 3
  (cd "$tree" && Logging__LogLevel__Default=Warning exec dotnet src/ImageProxy.Server/bin/Release/net10.0/ImageProxy.Server.dll \
    --urls "http://127.0.0.1:$port" --sources "$TMP/sources.json" --no-result-cache "$@") >"$TMP/$name.log" 2>&1 &
  pids+=($!); eval "PID_$name=$!"
  wait_ready "http://127.0.0.1:$port/_imageproxy/health/ready" $! "$TMP/$name.log"
}
build_server
start_imageproxy new "$ROOT" 8191
start_imageproxy old "$OLD" 8192 ${LIBVIPS_OLD:+--libvips "$LIBVIPS_OLD"}
targets=(new old)
if [ -n "${SHARP_DIR:-}" ]; then
  (cd "$SHARP_DIR" && ROOT="$(dirname "$CORPUS")" PORT=8193 HOST=127.0.0.1 exec node sharp-server.mjs) >"$TMP/sharp.log" 2>&1 &
  pids+=($!); PID_sharp=$!
  wait_ready "http://127.0.0.1:8193/public/photo-garden-2560x1600.jpg?w=16" $! "$TMP/sharp.log"
  targets+=(sharp)
fi
declare -A PORT=([new]=8191 [old]=8192 [sharp]=8193)

printf 'round\tworkload\ttarget\treq_s\tcpu_ms\n' >"$TMP/ab.tsv"
for round in $(seq 1 "$ROUNDS"); do
  # rotate the order so that no target always runs first
  order=("${targets[@]:$(( (round - 1) % ${#targets[@]} ))}" "${targets[@]:0:$(( (round - 1) % ${#targets[@]} ))}")
  for t in "${order[@]}"; do
    pid_var="PID_$t"
    out="$TMP/r$round-$t"
    CONCS="$CONC" REPEATS=1 DURATION="$DURATION" WARMUP=3 "$BENCH/run-against.sh" "http://127.0.0.1:${PORT[$t]}" \
      --pid "${!pid_var}" --label "$t" --workloads "$WORKLOADS" --out "$out" >/dev/null 2>&1 || { say "round $round $t failed"; continue; }
    # results.tsv is the harness's (lib/engine.sh): workload, rps and cpu_ms_per_req per run.
    python3 - "$out/results.tsv" "$round" "$t" >>"$TMP/ab.tsv" <<'PY'
import csv, sys
path, rnd, target = sys.argv[1:]
rows = list(csv.DictReader(open(path), delimiter="\t"))
for r in rows:
    print(f"{rnd}\t{r['workload']}\t{target}\t{r['rps']}\t{r['cpu_ms_per_req']}")
PY
  done
  say "round $round done"
done
cat "$TMP/ab.tsv"
python3 - "$TMP/ab.tsv" <<'PY'
import csv, sys, statistics
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
by = {}
for r in rows:
    by.setdefault((r["workload"], r["round"]), {})[r["target"]] = r
for wl in sorted({w for w, _ in by}):
    for other in ("old", "sharp"):
        ratios = [float(v["new"]["req_s"]) / float(v[other]["req_s"]) for (w, _), v in by.items() if w == wl and "new" in v and other in v]
        cpu = [float(v["new"]["cpu_ms"]) / float(v[other]["cpu_ms"]) for (w, _), v in by.items()
               if w == wl and "new" in v and other in v and v[other]["cpu_ms"] not in ("-", "")]
        if ratios:
            print(f"{wl} new/{other}: req/s median {statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f})"
                  + (f"; CPU/request median {statistics.median(cpu):.3f}" if cpu else ""))
PY
