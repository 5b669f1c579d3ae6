#!/usr/bin/env bash
# Cache misses on 1 node against a 3-node cluster (ImageProxy:Cluster), on this machine, and what killing a node
# costs. Every request is a distinct variant (the W1 photos → WebP at widths 380–420 and q 60–89, never repeated),
# so each one renders, with the result cache on as in production. wrk 4.1.0 (apt's `wrk`) drives each node
# with its own slice of the URLs, one wrk per node: that is the round-robin, without a balancer's CPU in the way.
#
#   bench/run-cluster.sh                         # DURATION=20, CONCS="6 12" (total connections, split over the nodes)
#
# Env: DURATION, CONCS, BASE_PORT (18400), CORPUS, BENCH (see common.sh). The cores are shared: run it alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DURATION="${DURATION:-20}"
CONCS="${CONCS:-6 12}"
BASE_PORT="${BASE_PORT:-18400}"
TOKEN="bench-cluster-token"
command -v wrk >/dev/null || { say "wrk not found (apt-get install wrk)"; exit 1; }
build_server

TMP="$(mktemp -d "${TMPDIR:-/tmp}/imageproxy-cluster.XXXXXX")"
PIDS=()
stop_nodes() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; PIDS=(); }
trap 'stop_nodes; rm -rf "$TMP"' EXIT
write_sources "$TMP/sources.json"

# Distinct variants, shuffled once with a fixed seed; each run takes the next unused slice.
grep -v '^#' "$BENCH/workloads/photos-public.txt" | sed '/^$/d' | while read -r src; do
  for w in $(seq 380 420); do for q in $(seq 60 89); do echo "/public/${src#public/}?w=$w&fm=webp&q=$q"; done; done
done | shuf --random-source=<(yes) >"$TMP/all-urls.txt"
NEXT_URL=1
take_urls() { # take_urls N FILE: the next N unused URLs
  sed -n "${NEXT_URL},$((NEXT_URL + $1 - 1))p" "$TMP/all-urls.txt" >"$2"; NEXT_URL=$((NEXT_URL + $1))
}

start_nodes() { # start_nodes N [cluster]: N nodes on BASE_PORT.., a cluster when the second argument is given
  local n="$1" cluster="${2:-}" peers="" i
  for i in $(seq 1 "$n"); do peers="$peers${peers:+,}http://127.0.0.1:$((BASE_PORT + i))"; done
  for i in $(seq 1 "$n"); do
    local port=$((BASE_PORT + i)) args=()
    [ -n "$cluster" ] && args=(--cluster-self "http://127.0.0.1:$port" --cluster-peers "$peers" --ImageProxy:Cluster:Token "$TOKEN")
    Logging__LogLevel__Default=Warning dotnet src/ImageProxy.Server/bin/Release/net10.0/ImageProxy.Server.dll \
      --urls "http://127.0.0.1:$port" --sources "$TMP/sources.json" --libvips "$LIBVIPS" \
      --cache-dir "$TMP/cache-$n-$i-$RANDOM" "${args[@]}" >"$TMP/node-$i.log" 2>&1 &
    PIDS+=($!)
  done
  for i in $(seq 1 "$n"); do
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((BASE_PORT + i))/_imageproxy/health/ready")" = 200 ]; do sleep 0.2; done
  done
  # JIT and libvips warm-up on every node, on URLs no run uses.
  for i in $(seq 1 "$n"); do for w in 100 110 120 130 140 150 160 170; do
    curl -s -o /dev/null "http://127.0.0.1:$((BASE_PORT + i))/public/photo-garden-2560x1600.jpg?w=$((w + i))&fm=webp"; done; done
}

renders_total() { local n="$1" i t=0; for i in $(seq 1 "$n"); do
  t=$((t + $(curl -s "http://127.0.0.1:$((BASE_PORT + i))/_imageproxy/stats" | sed 's/[^0-9]//g'))); done; echo "$t"; }

# load N CONC TARGETS [KILL_AFTER]: one wrk on each of the first TARGETS nodes (CONC/TARGETS connections each);
# KILL_AFTER seconds in, node N gets SIGKILL. Prints req/s, requests, renders, p50/p99/max, errors.
load() {
  local n="$1" conc="$2" targets="$3" kill_after="${4:-}" i per=$(( $2 / $3 )) before after
  local counted=$n; [ -n "$kill_after" ] && counted=$targets  # a killed node's counter dies with it
  before=$(renders_total "$counted")
  for i in $(seq 1 "$targets"); do
    take_urls 4000 "$TMP/urls-$i.txt"
    WRK_URLS="$TMP/urls-$i.txt" WRK_NONCE=x wrk -t1 -c"$per" -d"${DURATION}s" --timeout 60s -s "$BENCH/lib/urls.lua" \
      "http://127.0.0.1:$((BASE_PORT + i))" >"$TMP/wrk-$i.txt" 2>&1 &
    WRKS[i]=$!
  done
  if [ -n "$kill_after" ]; then sleep "$kill_after"; kill -9 "${PIDS[$((n - 1))]}"; fi
  for i in $(seq 1 "$targets"); do wait "${WRKS[i]}"; done
  after=$(renders_total "$counted")
  cat "$TMP"/wrk-*.txt | grep '^RESULT' | awk -v renders="$((after - before))" '
    { for (f = 2; f <= NF; f++) { split($f, kv, "="); v[kv[1]] = kv[2] }
      req += v["requests"]; rps += v["rps"]; if (v["p99_ms"] > p99) p99 = v["p99_ms"]; if (v["max_ms"] > mx) mx = v["max_ms"]
      p50 += v["p50_ms"]; n++; err += v["err_connect"] + v["err_read"] + v["err_status"] + v["err_timeout"] }
    END { printf "%.1f req/s, %d requests, %d renders, p50 %.0f ms (mean of nodes), p99 %.0f ms, max %.0f ms, %d errors\n", rps, req, renders, p50 / n, p99, mx, err }'
  rm -f "$TMP"/wrk-*.txt
}

for conc in $CONCS; do
  start_nodes 1;         say "1 node, c=$conc: $(load 1 "$conc" 1)"; stop_nodes
  start_nodes 3 cluster; say "3-node cluster, c=$conc: $(load 3 "$conc" 3)"; stop_nodes
done
start_nodes 3 cluster
say "3-node cluster, load on nodes 1-2 only, c=6, no kill: $(load 3 6 2)"
stop_nodes
start_nodes 3 cluster
say "3-node cluster, load on nodes 1-2, node 3 killed (SIGKILL) after $((DURATION / 2)) s: $(load 3 6 2 $((DURATION / 2)))"
stop_nodes
