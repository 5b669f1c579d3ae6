#!/usr/bin/env bash
# Benchmarks the Release build of ImageProxy with the shared harness (../shared/bench), on the
# same workloads and load generator as the peer figures in ../shared/bench/README.md.
#
#   bench/run-bench.sh                                   # W1-W4, harness defaults (20 s x 3 x c=1,4,16)
#   DURATION=5 REPEATS=1 CONCS=1 WORKLOADS=W1 bench/run-bench.sh   # quick smoke run
#
# Env: WORKLOADS ("W1 W2 W3 W4"), DURATION, REPEATS, CONCS, WARMUP (passed to the harness),
#      CORPUS (the corpus "public" folder), BENCH (the harness folder), PORT (8080),
#      SERVER_ARGS (extra server options, e.g. the switch that turns the result cache off:
#      W1-W4 make every URL unique with cb=, which a cache keyed on known params ignores).
# W5 (cache hits, per tier, next to nginx static) has its own script: bench/run-w5.sh.
# The cores are shared: do not run the full set while others work.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PORT="${PORT:-8080}"
BASE="http://127.0.0.1:$PORT"
# DURATION, REPEATS, CONCS and WARMUP reach the harness through the environment as they are.

port_busy "$PORT" && { say "port $PORT is busy: stop what runs there or set PORT"; exit 1; }
build_server

TMP="$(mktemp -d "${TMPDIR:-/tmp}/imageproxy-bench.XXXXXX")"
trap 'stop_server; rm -rf "$TMP"' EXIT
write_sources "$TMP/sources.json"
say "starting the server on $BASE (log: $TMP/server.log while it runs)"
# shellcheck disable=SC2086  # SERVER_ARGS is a list of options
start_server "$BASE" "$TMP/server.log" "$TMP/sources.json" --cache-dir "$TMP/cache" ${SERVER_ARGS:-}

OUT="$ROOT/bench/results/imageproxy-$(date +%Y%m%d-%H%M%S)"
"$BENCH/run-against.sh" "$BASE" --pid "$SERVER_PID" --label imageproxy --out "$OUT" \
  --workloads "${WORKLOADS:-W1 W2 W3 W4}"
say "summary: $OUT/summary.md (raw results in $OUT)"
