#!/usr/bin/env bash
# Paired A/B of W5 (the same URL over and over: cache hits) between two ImageProxy builds. Both servers run side by
# side with their own cache directory, idle when not measured; plain wrk visits them in turn with the order rotating
# each round, because this machine drifts more than the differences measured.
#
#   OLD=/path/to/old/checkout bench/run-w5-ab.sh                    # memory-disk and memo-off, 5 rounds, c=16, 10 s
#   CONFIGS="memo-off" ROUNDS=7 CONC=16 DURATION=10 OLD=… bench/run-w5-ab.sh
#
# Configurations (as in run-w5.sh): memory-disk = --cache-dir (memory tier in front of disk; repeats are answered by
# the response memo), memo-off = the same with ResultCache:MemoEntries=0 (every repeat goes the long way through
# routing, parsing, planning, the object record and the memory tier: ImageService's hit path).
# OLD: another checkout, already built in Release. Output: req/s per round and target, and the per-round new/old ratios.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${OLD:?set OLD to the other checkout}"
ROUNDS="${ROUNDS:-5}" CONC="${CONC:-16}" DURATION="${DURATION:-10}" CONFIGS="${CONFIGS:-memory-disk memo-off}"
PORT_NEW="${PORT_NEW:-8491}" PORT_OLD="${PORT_OLD:-8492}"
for p in "$PORT_NEW" "$PORT_OLD"; do port_busy "$p" && { say "port $p is busy: set PORT_NEW/PORT_OLD"; exit 1; }; done
TARGET="/public/photo-garden-2560x1600.jpg?w=400&fm=webp&q=75"   # the harness's W5 request
TMP="$(mktemp -d "${TMPDIR:-/tmp}/imageproxy-w5ab.XXXXXX")"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
write_sources "$TMP/sources.json"

start() { # NAME TREE PORT [extra args]
  local name=$1 tree=$2 port=$3; shift 3
  (cd "$tree" && Logging__LogLevel__Default=Warning exec dotnet src/ImageProxy.Server/bin/Release/net10.0/ImageProxy.Server.dll \
    --urls "http://127.0.0.1:$port" --sources "$TMP/sources.json" "$@") >"$TMP/$name.log" 2>&1 &
  pids+=($!)
  local pid=$!
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { say "$name exited:"; cat "$TMP/$name.log" >&2; return 1; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$TARGET")" = 200 ] && return 0
    sleep 0.2
  done
  say "$name did not answer"; cat "$TMP/$name.log" >&2; return 1
}
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }

build_server
printf 'config\tround\ttarget\treq_s\n' >"$TMP/w5.tsv"
for config in $CONFIGS; do
  case "$config" in
    memory-disk) extra=();;
    memo-off) extra=(--ImageProxy:ResultCache:MemoEntries=0);;
    *) say "unknown config $config"; exit 1;;
  esac
  start new "$ROOT" "$PORT_NEW" --cache-dir "$TMP/cache-new-$config" "${extra[@]}"
  start old "$OLD" "$PORT_OLD" --cache-dir "$TMP/cache-old-$config" "${extra[@]}"
  declare -A PORT=([new]=$PORT_NEW [old]=$PORT_OLD)
  for t in new old; do wrk -t2 -c4 -d3s "http://127.0.0.1:${PORT[$t]}$TARGET" >/dev/null; done   # warm-up, not counted
  for round in $(seq 1 "$ROUNDS"); do
    if (( round % 2 )); then order=(new old); else order=(old new); fi
    for t in "${order[@]}"; do
      wrk -t2 -c"$CONC" -d"${DURATION}s" "http://127.0.0.1:${PORT[$t]}$TARGET" >"$TMP/wrk.txt"
      rps="$(awk '/Requests\/sec/{print $2}' "$TMP/wrk.txt")"
      printf '%s\t%s\t%s\t%s\n' "$config" "$round" "$t" "$rps" >>"$TMP/w5.tsv"
    done
  done
  stop_all
done
cat "$TMP/w5.tsv"
python3 - "$TMP/w5.tsv" <<'PY'
import csv, sys, statistics
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
for config in dict.fromkeys(r["config"] for r in rows):
    by = {}
    for r in rows:
        if r["config"] == config:
            by.setdefault(r["round"], {})[r["target"]] = float(r["req_s"])
    new = [v["new"] for v in by.values()]; old = [v["old"] for v in by.values()]
    ratios = sorted(v["new"] / v["old"] for v in by.values())
    print(f"{config}: new median {statistics.median(new):.0f} req/s ({min(new):.0f}-{max(new):.0f}), "
          f"old median {statistics.median(old):.0f} ({min(old):.0f}-{max(old):.0f}); "
          f"new/old per round median {statistics.median(ratios):.3f} (range {ratios[0]:.3f}-{ratios[-1]:.3f})")
PY
