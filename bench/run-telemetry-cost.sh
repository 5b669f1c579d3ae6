#!/usr/bin/env bash
# What the request log line costs on the hottest path (a response-memo hit, W5-like: one URL over and over).
# Three servers of the Release build run side by side, idle when not measured; plain wrk (-t2 -c16, DURATION)
# visits them in turn, the order rotating each round, because this machine's speed drifts more than the
# differences (see docs/benchmarks.md). Medians of ROUNDS rounds are printed.
#   log-all   Telemetry:HitLogSampling=1 (the default: every hit gets an Information line)
#   log-none  Telemetry:HitLogSampling=0 (misses, errors and refusals only)
#   log-off   the request-log category at Warning (no Information lines at all)
# Metrics (Prometheus exporter) are on in all three. Console output goes to /dev/null.
#   bench/run-telemetry-cost.sh                 # ROUNDS=5 DURATION=10
# Needs: wrk, curl, a Release build (dotnet build src/ImageProxy.Server -c Release).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DLL="$ROOT/src/ImageProxy.Server/bin/Release/net10.0/ImageProxy.Server.dll"
ROUNDS="${ROUNDS:-5}" DURATION="${DURATION:-10}"
[ -f "$DLL" ] || { echo "build first: dotnet build src/ImageProxy.Server -c Release" >&2; exit 1; }
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
echo "{\"sources\":[{\"name\":\"img\",\"pathPrefix\":\"/img\",\"kind\":\"folder\",\"folder\":{\"root\":\"$ROOT/samples\"}}]}" >"$WORK/sources.json"
TARGET="/img/exif-orient6-iphone-205x102.jpg?w=50&fm=webp"

declare -A PORT=([log-all]=8191 [log-none]=8192 [log-off]=8193)
start() { # name env...
  local name=$1; shift
  env "$@" ASPNETCORE_URLS="http://127.0.0.1:${PORT[$name]}" dotnet "$DLL" --sources "$WORK/sources.json" \
    --cache-dir "$WORK/cache-$name" >/dev/null 2>&1 &
  PIDS+=($!)
}
start log-all ImageProxy__Telemetry__HitLogSampling=1
start log-none ImageProxy__Telemetry__HitLogSampling=0
start log-off Logging__LogLevel__ImageProxy.Server.Http.RequestTelemetry=Warning
for name in "${!PORT[@]}"; do
  url="http://127.0.0.1:${PORT[$name]}$TARGET"
  for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:${PORT[$name]}/_imageproxy/health/live" && break; sleep 0.2; done
  curl -fs -o /dev/null "$url"
  [ "$(curl -fs -o /dev/null -D - "$url" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-cache"{print $2}')" = "HIT-MEMORY" ] \
    || { echo "$name: the second request was not a memory hit" >&2; exit 1; }
  wrk -t2 -c16 -d3s "$url" >/dev/null
done

names=(log-all log-none log-off)
declare -A RESULTS
for round in $(seq "$ROUNDS"); do
  for i in 0 1 2; do
    name=${names[$(( (i + round) % 3 ))]}
    rps=$(wrk -t2 -c16 -d"${DURATION}s" "http://127.0.0.1:${PORT[$name]}$TARGET" | awk '/Requests\/sec/ {print $2}')
    RESULTS[$name]+="$rps "
    echo "round $round $name $rps req/s"
  done
done
echo "median req/s over $ROUNDS rounds (c=16, ${DURATION}s each):"
for name in "${names[@]}"; do
  echo "  $name $(echo ${RESULTS[$name]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
done
