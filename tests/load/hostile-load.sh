#!/usr/bin/env bash
# Bounded loopback load test of mixed traffic: revalidation hits (304), render misses, bad URLs and bad images,
# against a Release build of the server. Reports the status mix, latency, and the server's RSS over time; fails
# on any 5xx other than 429-style admission answers, a crash, or a failing health check afterwards.
#
#   tests/load/hostile-load.sh                      # c=64 for 60 s (the figure in docs/reliability.md)
#   DURATION=10 CONNECTIONS=16 tests/load/hostile-load.sh   # quick run
#
# Env: DURATION (s, default 60, capped at 300), CONNECTIONS (64, capped at 256), THREADS (2), PORT (8087).
# Traffic goes to 127.0.0.1 only. The server is started by this script and stopped by its pid on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
say() { printf '[hostile-load] %s\n' "$*" >&2; }

DURATION="${DURATION:-60}"; CONNECTIONS="${CONNECTIONS:-64}"; THREADS="${THREADS:-2}"; PORT="${PORT:-8087}"
# Bounds, so a typo cannot turn this into an hour-long flood on a shared machine.
[ "$DURATION" -le 300 ] || DURATION=300
[ "$CONNECTIONS" -le 256 ] || CONNECTIONS=256
BASE="http://127.0.0.1:$PORT"

command -v wrk >/dev/null || { say "wrk is required (Debian: apt-get install -y wrk)"; exit 1; }
command -v curl >/dev/null || { say "curl is required"; exit 1; }
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then say "port $PORT is busy; set PORT"; exit 1; fi

LIBVIPS="${LIBVIPS:-bundled}"
say "building Release"
dotnet build src/ImageProxy.Server -c Release -nologo -v quiet -clp:ErrorsOnly

TMP="$(mktemp -d "${TMPDIR:-/tmp}/imageproxy-load.XXXXXX")"
SERVER_PID=""; SAMPLER_PID=""
cleanup() {
  # Only what this script started, by pid.
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# The images: two real samples plus hostile files made here (nothing binary committed).
mkdir -p "$TMP/images"
cp samples/garden-1600x1000.jpg "$TMP/images/photo.jpg"
cp samples/webp-yellowrose-alpha-400x301.webp "$TMP/images/alpha.webp"
# PNG whose header claims 60000x60000 (3.6 GP) with a 10-byte IDAT: refused from the header.
echo 'iVBORw0KGgoAAAANSUhEUgAA6mAAAOpgCAIAAAAPsOIVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==' | base64 -d >"$TMP/images/bomb.png"
head -c "$(( $(stat -c %s "$TMP/images/photo.jpg") / 2 ))" "$TMP/images/photo.jpg" >"$TMP/images/truncated.jpg"
head -c 5000 /dev/urandom >"$TMP/images/random.jpg"
: >"$TMP/images/empty.png"
cat >"$TMP/sources.json" <<JSON
{ "sources": [ { "name": "load", "pathPrefix": "/load", "kind": "folder", "folder": { "root": "$TMP/images" } } ] }
JSON

say "starting the server on $BASE"
ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  dotnet "src/ImageProxy.Server/bin/Release/net10.0/ImageProxy.Server.dll" \
  --urls "$BASE" --sources "$TMP/sources.json" --libvips "$LIBVIPS" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  curl -fsS "$BASE/_imageproxy/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { say "server exited during start-up"; cat "$TMP/server.log" >&2; exit 1; }
  sleep 1
done

rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$SERVER_PID/status"; }
ETAG="$(curl -fsS -D - -o /dev/null "$BASE/load/photo.jpg?w=320" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')"
say "etag for the hits: $ETAG; RSS after start: $(rss) MB"

# RSS every 5 s while the load runs.
( while kill -0 "$SERVER_PID" 2>/dev/null; do printf '%s %s\n' "$SECONDS" "$(rss)"; sleep 5; done ) >"$TMP/rss.txt" 2>/dev/null &
SAMPLER_PID=$!

say "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (mixed.lua)"
LOAD_ETAG="$ETAG" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s -s tests/load/mixed.lua "$BASE" | tee "$TMP/wrk.txt"
kill "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""

alive=yes; kill -0 "$SERVER_PID" 2>/dev/null || alive=no
health="$(curl -s -o /dev/null -w '%{http_code}' "$BASE/_imageproxy/health/ready" || true)"
echo "RSS samples (elapsed s, MB): $(tr '\n' ';' <"$TMP/rss.txt")"
echo "server alive: $alive; health after load: $health; RSS now: $( [ "$alive" = yes ] && rss || echo -) MB"

# 5xx other than none at all is a failure: 502/504 cannot happen (folder source), 503 would be a render timeout.
fivexx="$( (grep -o ' 5[0-9][0-9]=[0-9]*' "$TMP/wrk.txt" || true) | awk -F= '{s+=$2} END {print s+0}')"
echo "unexpected 5xx: $fivexx"
[ "$alive" = yes ] && [ "$health" = 200 ] && [ "$fivexx" = 0 ]
