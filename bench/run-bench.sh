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
# The cores are shared: do not run the full set while others work.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
say() { printf '[run-bench] %s\n' "$*" >&2; }

# The shared folder sits next to the main checkout (/work/main -> /work/shared); from a worktree
# one level deeper that relative path misses, hence the absolute fallback.
first_dir() { local d; for d in "$@"; do [ -d "$d" ] && { (cd "$d" && pwd); return 0; }; done; return 1; }
CORPUS="${CORPUS:-$(first_dir "$ROOT/../shared/corpus/public" /work/shared/corpus/public)}" \
  || { say "corpus not found; set CORPUS"; exit 1; }
BENCH="${BENCH:-$(first_dir "$ROOT/../shared/bench" /work/shared/bench)}" \
  || { say "bench harness not found; set BENCH"; exit 1; }
PORT="${PORT:-8080}"
BASE="http://127.0.0.1:$PORT"
# DURATION, REPEATS, CONCS and WARMUP reach the harness through the environment as they are.

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  say "port $PORT is busy: stop what runs there or set PORT"; exit 1
fi

LIBVIPS="$(scripts/fetch-libvips.sh)"
say "building Release"
dotnet build src/ImageProxy.Server -c Release -nologo -v quiet -clp:ErrorsOnly

TMP="$(mktemp -d "${TMPDIR:-/tmp}/imageproxy-bench.XXXXXX")"
SERVER_PID=""
cleanup() {
  # Stop only the server this script started, by its pid.
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# One folder source for the corpus, no default params, no signing: the harness sends plain
# imgix URLs such as /public/photo-garden-2560x1600.jpg?w=400&fm=webp&q=75.
cat >"$TMP/sources.json" <<JSON
{
  "sources": [
    {
      "name": "public",
      "pathPrefix": "/public",
      "kind": "folder",
      "folder": { "root": "$CORPUS" },
      "secureTokens": [],
      "defaultParams": {},
      "cacheMaxAge": 31536000
    }
  ]
}
JSON

say "starting the server on $BASE (log: $TMP/server.log while it runs)"
# shellcheck disable=SC2086  # SERVER_ARGS is a list of options
dotnet src/ImageProxy.Server/bin/Release/net10.0/ImageProxy.Server.dll \
  --urls "$BASE" --sources "$TMP/sources.json" --cache-dir "$TMP/cache" --libvips "$LIBVIPS" ${SERVER_ARGS:-} \
  >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 300); do
  kill -0 "$SERVER_PID" 2>/dev/null || { say "the server exited:"; cat "$TMP/server.log" >&2; exit 1; }
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/_imageproxy/health/ready")" = 200 ] && break
  sleep 0.2
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/_imageproxy/health/ready")" = 200 ] \
  || { say "not ready after 60 s:"; cat "$TMP/server.log" >&2; exit 1; }
say "ready (pid $SERVER_PID)"

OUT="$ROOT/bench/results/imageproxy-$(date +%Y%m%d-%H%M%S)"
"$BENCH/run-against.sh" "$BASE" --pid "$SERVER_PID" --label imageproxy --out "$OUT" \
  --workloads "${WORKLOADS:-W1 W2 W3 W4}"
say "summary: $OUT/summary.md (raw results in $OUT)"
