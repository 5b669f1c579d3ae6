#!/usr/bin/env bash
# W5 (the same URL over and over: cache hits) against each result-cache tier of the Release build,
# a 304 revalidation, and nginx serving a static file of the same size in the same session, so the
# ratio the issue asks for (disk hit vs nginx static at c=16) is measured under one machine load.
#
#   bench/run-w5.sh                          # DURATION=10 REPEATS=3, c=1,4,16 (about 15 minutes)
#   DURATION=5 REPEATS=1 bench/run-w5.sh     # quick look
#   CONFIGS="disk redis" bench/run-w5.sh     # a subset; NGINX=0 leaves out the nginx run
#
# Configurations (each a fresh server and an empty cache; the first request renders, W5 then hits):
#   memory-disk  --cache-dir DIR (the default set-up: memory tier in front of disk)  -> X-Cache HIT-MEMORY
#   disk         --cache-dir DIR, memory tier off (MaxMemoryBytes=0)                -> X-Cache HIT-DISK
#   redis        --redis 127.0.0.1:RPORT only, memory tier off, no disk tier          -> X-Cache HIT-REDIS
#   memo-off     memory-disk with the response memo off (MemoEntries=0)              -> X-Cache HIT-MEMORY
#   304          memory-disk, W5's URL with If-None-Match: <its ETag>, plain wrk     -> 304
# Each configuration is checked before it is measured: a wrong X-Cache (or status) stops the run.
#
# Paired rounds (PAIRS, default 5; 0 = none): the machine's speed drifts between the runs above (nginx alone
# has measured 57k to 82k req/s at c=16 here on one day), so a ratio of two runs minutes apart can say more
# about the machine than about the servers. Afterwards nginx static, a disk-only and a memory+disk server
# run side by side, idle when not measured, and plain wrk (-t2 -c16, DURATION) visits them in turn, the
# order rotating each round; each round gives a ratio to that round's nginx, and the medians are quoted.
# Needs: wrk, curl, python3, redis-server (the redis row), nginx + libvips-tools (the nginx row;
# ../shared/bench/run-peers.sh installs them when run as root).
# Output: bench/results/w5-<timestamp>/{summary.md, <config>/..., nginx-static/...}
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PORT="${PORT:-8090}" RPORT="${RPORT:-6391}"
BASE="http://127.0.0.1:$PORT"
W5_TARGET="/public/photo-garden-2560x1600.jpg?w=400&fm=webp&q=75"   # the harness's W5 request
URL="$BASE$W5_TARGET"
CONFIGS="${CONFIGS:-memory-disk disk redis memo-off 304}"
PAIRS="${PAIRS:-5}"
WORK="${WORK:-/var/tmp/imgbench}"   # where ../shared/bench/run-peers.sh keeps nginx's config and static files
export DURATION="${DURATION:-10}" REPEATS="${REPEATS:-3}" CONCS="${CONCS:-1 4 16}"

port_busy "$PORT" && { say "port $PORT is busy: set PORT"; exit 1; }
build_server
OUT="$ROOT/bench/results/w5-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/imageproxy-w5.XXXXXX")"
REDIS_PID="" EXTRA_PIDS=()
cleanup() {
  stop_server
  local p
  for p in $REDIS_PID "${EXTRA_PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT
write_sources "$TMP/sources.json"

start_redis() {
  port_busy "$RPORT" && { say "redis port $RPORT is busy: set RPORT"; exit 1; }
  redis-server --bind 127.0.0.1 --port "$RPORT" --save '' --appendonly no >"$TMP/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 50); do port_busy "$RPORT" && return 0; sleep 0.1; done
  say "redis-server did not start:"; cat "$TMP/redis.log" >&2; exit 1
}

# header NAME: that response header of a GET of $URL.
header() { curl -s -D - -o /dev/null "$URL" | tr -d '\r' | awk -F': ' -v name="$1" 'tolower($1)==name{print $2}'; }

# expect_hit WANT: renders once, then checks that a repeat is answered by the expected tier.
expect_hit() {
  curl -sf -o /dev/null "$URL" || { say "first request failed"; exit 1; }
  local got
  got="$(header x-cache)"
  [ "$got" = "$1" ] || { say "expected X-Cache $1, got '${got}'"; exit 1; }
  say "a repeat is answered with X-Cache $got"
}

# wrk_304 LABEL: W5's URL with If-None-Match, DURATION x REPEATS per concurrency, to OUT/LABEL/304.tsv.
wrk_304() {
  local dir="$OUT/$1" etag status c t r rps
  mkdir -p "$dir"
  etag="$(header etag)"
  status="$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$URL")"
  [ "$status" = 304 ] || { say "If-None-Match $etag answered $status, not 304"; exit 1; }
  printf 'conc\trep\trps\n' >"$dir/304.tsv"
  wrk -t2 -c4 -d"${WARMUP:-5}s" -H "If-None-Match: $etag" "$URL" >/dev/null   # warm-up, not counted
  for c in $CONCS; do
    t=1; [ "$c" -ge 2 ] && t=2
    for r in $(seq 1 "$REPEATS"); do
      rps="$(wrk -t"$t" -c"$c" -d"${DURATION}s" -H "If-None-Match: $etag" "$URL" | awk '/Requests\/sec/{print $2}')"
      printf '%s\t%s\t%s\n' "$c" "$r" "$rps" >>"$dir/304.tsv"
      say "304 c=$c r=$r: $rps req/s"
      sleep 2
    done
  done
}

for config in $CONFIGS; do
  args=() want=HIT-MEMORY
  case "$config" in
    memory-disk|304) args=(--cache-dir "$TMP/cache-$config");;
    disk) args=(--cache-dir "$TMP/cache-disk" --ImageProxy:ResultCache:MaxMemoryBytes=0); want=HIT-DISK;;
    redis) start_redis; args=(--redis "127.0.0.1:$RPORT" --ImageProxy:ResultCache:MaxMemoryBytes=0); want=HIT-REDIS;;
    memo-off) args=(--cache-dir "$TMP/cache-memo-off" --ImageProxy:ResultCache:MemoEntries=0);;
    *) say "unknown configuration $config"; exit 2;;
  esac
  say "== $config: ${args[*]}"
  start_server "$BASE" "$TMP/server-$config.log" "$TMP/sources.json" "${args[@]}"
  expect_hit "$want"
  if [ "$config" = 304 ]; then
    wrk_304 304
  else
    "$BENCH/run-against.sh" "$BASE" --pid "$SERVER_PID" --label "$config" --out "$OUT/$config" --workloads W5
  fi
  stop_server
done

if [ "${NGINX:-1}" = 1 ]; then
  say "== nginx static (the harness's peer, same session)"
  PEERS=nginx-static OUT="$OUT/nginx-static" "$BENCH/run-peers.sh" >"$OUT/nginx-static.log" 2>&1 \
    || { say "nginx run failed: see $OUT/nginx-static.log"; exit 1; }
fi

# paired_rounds: nginx static, disk only and memory+disk side by side, visited in turn by plain wrk at c=16.
paired_rounds() {
  local nginx_url="http://127.0.0.1:8082/w400-q75/public/photo-garden-2560x1600.jpg.webp"
  local disk_url="$URL" mem_url="http://127.0.0.1:$((PORT + 1))$W5_TARGET"
  [ -s "$WORK/nginx-static/nginx.conf" ] || { say "no nginx config in $WORK (the nginx run makes it): no paired rounds"; return 0; }
  port_busy 8082 && { say "port 8082 is busy: no paired rounds"; return 0; }
  nginx -p "$WORK/nginx-static" -c "$WORK/nginx-static/nginx.conf" -e stderr -g 'daemon off;' >"$TMP/nginx.log" 2>&1 &
  EXTRA_PIDS+=($!)
  start_server "$BASE" "$TMP/server-pair-disk.log" "$TMP/sources.json" \
    --cache-dir "$TMP/cache-pair-disk" --ImageProxy:ResultCache:MaxMemoryBytes=0
  EXTRA_PIDS+=("$SERVER_PID"); SERVER_PID=""
  start_server "http://127.0.0.1:$((PORT + 1))" "$TMP/server-pair-mem.log" "$TMP/sources.json" --cache-dir "$TMP/cache-pair-mem"
  EXTRA_PIDS+=("$SERVER_PID"); SERVER_PID=""
  URL="$disk_url" expect_hit HIT-DISK
  URL="$mem_url" expect_hit HIT-MEMORY
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$nginx_url")" = 200 ] || { say "nginx does not serve $nginx_url"; exit 1; }
  local names=(nginx-static disk memory-disk) urls=("$nginx_url" "$disk_url" "$mem_url") r i k rps
  for i in 0 1 2; do wrk -t2 -c16 -d"${WARMUP:-5}s" "${urls[i]}" >/dev/null; done   # warm-up, not counted
  printf 'round\ttarget\trps\n' >"$OUT/pairs.tsv"
  for r in $(seq 1 "$PAIRS"); do
    for k in 0 1 2; do
      i=$(((k + r) % 3))
      sleep 2
      rps="$(wrk -t2 -c16 -d"${DURATION}s" "${urls[i]}" | awk '/Requests\/sec/{print $2}')"
      printf '%s\t%s\t%s\n' "$r" "${names[i]}" "$rps" >>"$OUT/pairs.tsv"
      say "round $r ${names[i]}: $rps req/s"
    done
  done
}
[ "$PAIRS" -gt 0 ] && [ "${NGINX:-1}" = 1 ] && paired_rounds

# One table: median req/s per concurrency, and each c=16 figure over nginx's c=16 figure.
python3 - "$OUT" "$CONCS" $CONFIGS nginx-static >"$OUT/summary.md" <<'PY'
import csv, os, statistics, sys
out, concs, names = sys.argv[1], [int(c) for c in sys.argv[2].split()], sys.argv[3:]
rows = {}
for name in names:
    for f, key in (("results.tsv", "rps"), ("304.tsv", "rps")):
        p = os.path.join(out, name, f)
        if os.path.exists(p):
            for r in csv.DictReader(open(p), delimiter="\t"):
                rows.setdefault(name, {}).setdefault(int(r["conc"]), []).append(float(r[key]))
med = {n: {c: statistics.median(v) for c, v in cs.items()} for n, cs in rows.items()}
nginx = med.get("nginx-static", {}).get(16)
print("| configuration | " + " | ".join(f"c={c} req/s" for c in concs) + " | c=16 / nginx static |")
print("|---|" + "---:|" * (len(concs) + 1))
for n, cs in med.items():
    ratio = f"{cs[16] / nginx:.2f}x" if nginx and 16 in cs else "-"
    print(f"| {n} | " + " | ".join(f"{cs.get(c, 0):,.0f}" for c in concs) + f" | {ratio} |")
pairs = os.path.join(out, "pairs.tsv")
if os.path.exists(pairs):
    rounds = {}
    for r in csv.DictReader(open(pairs), delimiter="\t"):
        rounds.setdefault(r["round"], {})[r["target"]] = float(r["rps"])
    print(f"\nPaired rounds at c=16 (plain wrk, {len(rounds)} rounds, order rotating): median req/s and median of the per-round ratios to nginx")
    print("\n| target | median req/s | ratio to nginx, median (min-max) |\n|---|---:|---:|")
    for t in ("nginx-static", "disk", "memory-disk"):
        vals = [v[t] for v in rounds.values() if t in v]
        ratios = sorted(v[t] / v["nginx-static"] for v in rounds.values() if t in v and "nginx-static" in v)
        print(f"| {t} | {statistics.median(vals):,.0f} | {statistics.median(ratios):.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f}) |")
PY
cat "$OUT/summary.md"
say "done: $OUT/summary.md"
