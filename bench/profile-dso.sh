#!/usr/bin/env bash
# Where a server's CPU goes per request: starts a server command, warms it with one workload at c=4 (WARM s), then
# records PERIOD s of the same load with `perf record -g` and splits the process's CPU per request by shared object
# (libvips, kernel, libc, libcoreclr, libclrjit, JIT-compiled code, node …).
#
#   bench/profile-dso.sh NAME PORT WORKLOAD COMMAND...
#   bench/profile-dso.sh main 8295 W3 env -C /var/tmp/perf-base Logging__LogLevel__Default=Warning \
#     dotnet src/ImageProxy.Server/bin/Release/net10.0/ImageProxy.Server.dll --urls http://127.0.0.1:8295 \
#     --sources SOURCES.json --no-result-cache
#   bench/profile-dso.sh sharp 8296 W3 env -C /var/tmp/imgbench/peers ROOT=$CORPUS_ROOT PORT=8296 HOST=127.0.0.1 node sharp-server.mjs
#
# The command must serve the shared corpus under /public on PORT (a sources file like bench/common.sh's write_sources).
# Needs perf, wrk and the shared harness (../shared/bench). WARM (12), PERIOD (15); output files in OUT (a temp dir).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$BENCH/lib/engine.sh"
name=$1 port=$2 wl=$3; shift 3
WARM="${WARM:-12}" PERIOD="${PERIOD:-15}"
OUT="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/imageproxy-profile.XXXXXX")}"
make_urls imgix "$wl" "" >"$OUT/urls.txt"
"$@" >"$OUT/$name.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 150); do curl -fs -o /dev/null "http://127.0.0.1:$port/public/photo-garden-2560x1600.jpg?w=16" && break; sleep 0.2; done
load() { WRK_URLS="$OUT/urls.txt" WRK_NONCE="$1$RANDOM" wrk -t2 -c4 -d"$2s" -s "$BENCH/lib/urls.lua" "http://127.0.0.1:$port"; }
load w "$WARM" >/dev/null
ticks() { sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12+$13}'; }
t0=$(ticks)
perf record -F 499 -g -p "$pid" -o "$OUT/$name-$wl.data" -- sleep "$PERIOD" >/dev/null 2>&1 &
perf_pid=$!
requests=$(load m "$PERIOD" | sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p')
t1=$(ticks)
wait "$perf_pid" || true
cpu_ms=$(( (t1 - t0) * 1000 / $(getconf CLK_TCK) ))
echo "$name $wl: $requests requests, $cpu_ms ms CPU, $(awk -v c="$cpu_ms" -v r="$requests" 'BEGIN { printf "%.2f", c / r }') ms/request"
perf report -i "$OUT/$name-$wl.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -10 |
  awk -v c="$cpu_ms" -v r="$requests" '{ p = $1; sub("%", "", p); $1 = ""; printf "  %-36s %6.2f %%  %6.2f ms/request\n", $0, p, p / 100 * c / r }'
