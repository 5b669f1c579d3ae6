# Shared by bench/run-bench.sh and bench/run-w5.sh: finds the corpus and the harness,
# builds the Release server and starts and stops it. Source it; it sets ROOT, CORPUS, BENCH, LIBVIPS
# (the server's --libvips: "bundled", the NuGet build, unless LIBVIPS is set to "system" or a file).
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
say() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }

# The shared folder sits next to the main checkout (/work/main -> /work/shared); from a worktree
# one level deeper that relative path misses, hence the absolute fallback.
first_dir() { local d; for d in "$@"; do [ -d "$d" ] && { (cd "$d" && pwd); return 0; }; done; return 1; }
CORPUS="${CORPUS:-$(first_dir "$ROOT/../shared/corpus/public" /work/shared/corpus/public)}" \
  || { say "corpus not found; set CORPUS"; exit 1; }
BENCH="${BENCH:-$(first_dir "$ROOT/../shared/bench" /work/shared/bench)}" \
  || { say "bench harness not found; set BENCH"; exit 1; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# build_server: builds Release once (the bundled libvips comes with the NuGet restore).
build_server() {
  LIBVIPS="${LIBVIPS:-bundled}"
  say "building Release"
  dotnet build src/ImageProxy.Server -c Release -nologo -v quiet -clp:ErrorsOnly
}

# write_sources FILE: one folder source for the corpus under /public, no default params, no signing,
# so the harness's plain imgix URLs (/public/photo-garden-2560x1600.jpg?w=400&fm=webp&q=75) work.
write_sources() {
  cat >"$1" <<JSON
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
}

# start_server BASE LOG SOURCES [server options...]: starts the Release build at BASE with logs at
# Warning, waits until it is ready and sets SERVER_PID.
SERVER_PID=""
start_server() {
  local base="$1" log="$2" sources="$3"; shift 3
  Logging__LogLevel__Default=Warning dotnet src/ImageProxy.Server/bin/Release/net10.0/ImageProxy.Server.dll \
    --urls "$base" --sources "$sources" --libvips "$LIBVIPS" "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    kill -0 "$SERVER_PID" 2>/dev/null || { say "the server exited:"; cat "$log" >&2; return 1; }
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/_imageproxy/health/ready")" = 200 ]; then
      say "ready (pid $SERVER_PID)"; return 0
    fi
    sleep 0.2
  done
  say "not ready after 60 s:"; cat "$log" >&2; return 1
}

# stop_server: stops only the server start_server started, by its pid.
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
