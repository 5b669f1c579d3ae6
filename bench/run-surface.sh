#!/usr/bin/env bash
# CPU per request of the issue-11 effects on top of the W1 cache miss (JPEG -> 400w WebP q75, unique cb=), measured as
# the server process's user+system CPU (from /proc/PID/stat) over N sequential requests per variant, after a warm-up.
# Usage: bench/run-surface.sh            (N=48 per variant; CORPUS=../shared/corpus/public, PORT=18931, VARIANTS_FILE)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-48}
PORT=${PORT:-18931}
CORPUS=$(cd "${CORPUS:-../shared/corpus/public}" && pwd)
WORK=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

dotnet publish src/ImageProxy.Server -c Release -o "$WORK/app" -v quiet >/dev/null
echo '{"sources":[{"name":"public","pathPrefix":"/public","kind":"folder","folder":{"root":"'"$CORPUS"'"}}]}' > "$WORK/sources.json"
Logging__LogLevel__Default=Warning "$WORK/app/ImageProxy.Server" --urls "http://127.0.0.1:$PORT" \
  --sources "$WORK/sources.json" --no-result-cache >"$WORK/server.log" 2>&1 &
PID=$!
until curl -sf "http://127.0.0.1:$PORT/_imageproxy/health/live" >/dev/null; do sleep 0.2; done

# The W1 photos (the harness's workloads/photos-public.txt).
PHOTOS=(photo-garden-2560x1600.jpg photo-aqua-2560x1600.jpg photo-bythewater-2560x1600.jpg photo-eveningglow-2560x1600.jpg
        photo-kite-2560x1600.jpg photo-grey-2560x1600.jpg photo-colorfulcups-2560x1600-progressive.jpg)
TICKS=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
run() { # $1 = label, $2 = extra parameters; prints ms CPU per request
  local extra=$1 i
  for i in $(seq 1 8); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/public/${PHOTOS[$((i % ${#PHOTOS[@]}))]}?w=400&fm=webp&q=75&cb=w$RANDOM$i$extra"; done
  local before; before=$(cpu)
  for i in $(seq 1 "$N"); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/public/${PHOTOS[$((i % ${#PHOTOS[@]}))]}?w=400&fm=webp&q=75&cb=m$RANDOM$i$extra"; done
  local after; after=$(cpu)
  echo "scale=2; ($after - $before) * 1000 / $TICKS / $N" | bc
}

printf '| variant | extra parameters | CPU ms per request (round 1, round 2) |\n|---|---|---|\n'
declare -A first
VARIANTS=("W1 alone|" "adjustments|&sat=30&bri=10&con=10" "border|&border=10,336699" "mask|&mask=ellipse"
          "trim|&trim=auto" "border+mask+trim|&border=10,336699&mask=ellipse&trim=auto")
# VARIANTS_FILE: one "label|extra parameters" a line instead of the list above (issue 12 measures txt and max-bytes).
if [[ -n ${VARIANTS_FILE:-} ]]; then mapfile -t VARIANTS < "$VARIANTS_FILE"; fi
for v in "${VARIANTS[@]}"; do first[$v]=$(run "${v#*|}"); done
for v in "${VARIANTS[@]}"; do
  second=$(run "${v#*|}")
  printf '| %s | `%s` | %s, %s |\n' "${v%%|*}" "${v#*|}" "${first[$v]}" "$second"
done
