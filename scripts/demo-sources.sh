#!/usr/bin/env bash
# One photo through every source kind, by hand: starts s3rver + azurite (as test.sh does) and the GCS
# JSON-API fake (tools/FakeGcs), uploads tests/corpus/photo-garden-2560x1600.jpg to each, writes a
# sources file with a folder, s3, azure, gcs, web and proxy source, prints one URL per kind and runs
# `./run.sh --sources FILE`. Every URL renders the same bytes.
#
#   scripts/demo-sources.sh [--check] [QUERY]
#
# QUERY defaults to w=400&h=300&fit=crop&fm=webp. --check starts the server in the background, fetches
# every URL, compares the SHA-256 of the six outputs and exits 0 only when they are identical.
# Everything listens on 127.0.0.1 on free ports and is stopped (by pid) on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

check=0
[ "${1:-}" = --check ] && { check=1; shift; }
QUERY=${1:-w=400&h=300&fit=crop&fm=webp}
say() { printf '[demo] %s\n' "$*" >&2; }

PHOTO_NAME=photo-garden-2560x1600.jpg
PHOTO="$ROOT/tests/corpus/$PHOTO_NAME"

D="$(mktemp -d "${TMPDIR:-/tmp}/imageproxy-demo.XXXXXX")"
stop_all() {
  local f pid _
  for f in "$D"/*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f"); kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  rm -rf "$D"
}
trap stop_all EXIT
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$1; while port_open "$p"; do p=$((p + 1)); done; echo "$p"; }
wait_port() { local _; for _ in $(seq 1 300); do port_open "$1" && return 0; sleep 0.1; done; say "port $1 never opened"; return 1; }

# --- s3rver and azurite, the same versions and npm cache as test.sh -------------------------------
NPM="${IMAGEPROXY_NPM_CACHE:-$HOME/.cache/imageproxy/npm}"
if [ ! -x "$NPM/node_modules/.bin/s3rver" ] || [ ! -x "$NPM/node_modules/.bin/azurite-blob" ]; then
  say "npm install s3rver azurite into $NPM"
  mkdir -p "$NPM" && npm install --prefix "$NPM" --no-audit --no-fund --loglevel=error s3rver@3.7.1 azurite@3.37.0
fi
S3_PORT=$(free_port 4568)
mkdir -p "$D/s3data"
nohup "$NPM/node_modules/.bin/s3rver" -d "$D/s3data" -a 127.0.0.1 -p "$S3_PORT" --no-vhost-buckets --silent >"$D/s3rver.log" 2>&1 &
echo $! >"$D/s3rver.pid"
AZ_PORT=$(free_port 10000)
nohup "$NPM/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$AZ_PORT" --inMemoryPersistence --disableTelemetry --silent >"$D/azurite.log" 2>&1 &
echo $! >"$D/azurite.pid"

# --- GCS: the tests' JSON-API fake, standalone (there is no GCS emulator here) --------------------
say "building tools/FakeGcs"
dotnet build tools/FakeGcs -c Release -nologo -v quiet -clp:ErrorsOnly >&2
mkdir -p "$D/gcs"
nohup dotnet tools/FakeGcs/bin/Release/net10.0/FakeGcs.dll demo "$PHOTO_NAME" "$PHOTO" "$D/gcs" >"$D/gcs.out" 2>"$D/gcs.log" &
echo $! >"$D/gcs.pid"
wait_port "$S3_PORT"; wait_port "$AZ_PORT"
for _ in $(seq 1 100); do grep -q '^endpoint=' "$D/gcs.out" && break; sleep 0.1; done
GCS_ENDPOINT=$(sed -n 's/^endpoint=\([^ ]*\) .*/\1/p' "$D/gcs.out")
GCS_KEYFILE=$(sed -n 's/.* keyfile=\(.*\)$/\1/p' "$D/gcs.out")
[ -n "$GCS_ENDPOINT" ] || { say "the GCS fake did not start: $(cat "$D/gcs.log")"; exit 1; }

# --- uploads ---------------------------------------------------------------------------------------
S3="http://127.0.0.1:$S3_PORT"
# s3rver accepts unsigned writes (it checks no signatures at all); a plain PUT keeps the bytes intact.
curl -fsS -o /dev/null -X PUT "$S3/demo"
curl -fsS -o /dev/null -X PUT -H 'Content-Type: image/jpeg' --data-binary "@$PHOTO" "$S3/demo/$PHOTO_NAME"

# Azurite wants Shared Key requests, signed here with its published development key (not a secret).
AZ_ACCOUNT=devstoreaccount1
AZ_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
AZ="http://127.0.0.1:$AZ_PORT/$AZ_ACCOUNT"
az_put() { # az_put PATH QUERY-CANONICAL QUERY CONTENT-TYPE FILE|"" [extra x-ms header]
  local path=$1 canon_query=$2 query=$3 type=$4 file=$5 extra=${6:-} len=0 date sts sig
  [ -n "$file" ] && len=$(stat -c %s "$file")
  date=$(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S GMT')
  local headers="${extra:+$extra
}x-ms-date:$date
x-ms-version:2021-08-06"
  # Shared Key string-to-sign: verb, 11 standard headers (Content-Length empty when 0), x-ms-* headers, resource.
  sts="PUT


$([ "$len" = 0 ] || echo "$len")

$type






$headers
/$AZ_ACCOUNT/$AZ_ACCOUNT/$path$canon_query"
  sig=$(printf '%s' "$sts" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(printf '%s' "$AZ_KEY" | base64 -d | od -An -v -tx1 | tr -d ' \n')" -binary | base64 -w0)
  local args=(-fsS -o /dev/null -X PUT -H "x-ms-date: $date" -H "x-ms-version: 2021-08-06" -H "Authorization: SharedKey $AZ_ACCOUNT:$sig")
  [ -n "$extra" ] && args+=(-H "${extra/:/: }")
  [ -n "$type" ] && args+=(-H "Content-Type: $type")
  if [ -n "$file" ]; then args+=(--data-binary "@$file"); else args+=(-H 'Content-Length: 0'); fi
  curl "${args[@]}" "$AZ/$path$query"
}
az_put demo $'\nrestype:container' '?restype=container' '' ''
az_put "demo/$PHOTO_NAME" '' '' image/jpeg "$PHOTO" 'x-ms-blob-type:BlockBlob'

mkdir -p "$D/folder" && cp "$PHOTO" "$D/folder/"

# --- sources file ----------------------------------------------------------------------------------
PROXY_TOKEN=demo-proxy-token
SOURCES="$D/sources.json"
cat >"$SOURCES" <<JSON
{"sources": [
  {"name": "folder", "pathPrefix": "/folder", "kind": "folder", "folder": {"root": "./folder"}},
  {"name": "s3", "pathPrefix": "/s3", "kind": "s3",
   "s3": {"bucket": "demo", "region": "us-east-1", "serviceUrl": "$S3", "forcePathStyle": true, "accessKeyId": "S3RVER", "secretAccessKey": "S3RVER"}},
  {"name": "azure", "pathPrefix": "/azure", "kind": "azure",
   "azure": {"accountName": "$AZ_ACCOUNT", "container": "demo", "endpoint": "$AZ", "sharedKey": "$AZ_KEY"}},
  {"name": "gcs", "pathPrefix": "/gcs", "kind": "gcs",
   "gcs": {"bucket": "demo", "endpoint": "$GCS_ENDPOINT", "credentialsFile": "$GCS_KEYFILE"}},
  {"name": "web", "pathPrefix": "/web", "kind": "web", "allowPrivateAddresses": true,
   "web": {"baseUrl": "$S3/demo/"}},
  {"name": "proxy", "pathPrefix": "/proxy", "kind": "proxy", "allowPrivateAddresses": true,
   "secureTokens": ["$PROXY_TOKEN"], "proxy": {"allowedHosts": ["127.0.0.1"]}}
]}
JSON

# --- URLs and the server ---------------------------------------------------------------------------
PORT=$(free_port 8090)
BASE="http://127.0.0.1:$PORT"
# The proxy source takes the whole origin URL percent-encoded; imgix signature = md5(token + path + ?query).
PROXIED="/proxy/$(printf '%s' "$S3/demo/$PHOTO_NAME" | sed 's/%/%25/g; s/:/%3A/g; s|/|%2F|g')"
PROXY_SIG=$(printf '%s' "$PROXY_TOKEN$PROXIED?$QUERY" | md5sum | cut -c1-32)
declare -A URLS=(
  [folder]="$BASE/folder/$PHOTO_NAME?$QUERY"
  [s3]="$BASE/s3/$PHOTO_NAME?$QUERY"
  [azure]="$BASE/azure/$PHOTO_NAME?$QUERY"
  [gcs]="$BASE/gcs/$PHOTO_NAME?$QUERY"
  [web]="$BASE/web/$PHOTO_NAME?$QUERY"
  [proxy]="$BASE$PROXIED?$QUERY&s=$PROXY_SIG"
)
KINDS=(folder s3 azure gcs web proxy)
say "sources file: $SOURCES (s3rver $S3, azurite $AZ, GCS fake $GCS_ENDPOINT)"
for k in "${KINDS[@]}"; do printf '%-7s %s\n' "$k" "${URLS[$k]}"; done

if [ "$check" = 0 ]; then
  say "starting the server; Ctrl-C stops it and the services"
  ./run.sh --sources "$SOURCES" --urls "$BASE"
  exit 0
fi

./run.sh --sources "$SOURCES" --urls "$BASE" >"$D/server.log" 2>&1 &
echo $! >"$D/server.pid"
for _ in $(seq 1 600); do curl -fs -o /dev/null "$BASE/_imageproxy/health/ready" && break; sleep 0.2; done
declare -A SUMS
for k in "${KINDS[@]}"; do
  code=$(curl -s -o "$D/out-$k" -w '%{http_code}' "${URLS[$k]}")
  SUMS[$k]=$(sha256sum "$D/out-$k" | cut -c1-16)
  printf '%-7s HTTP %s  %7s bytes  sha256 %s\n' "$k" "$code" "$(stat -c %s "$D/out-$k")" "${SUMS[$k]}"
done
if [ "$(printf '%s\n' "${SUMS[@]}" | sort -u | wc -l)" = 1 ] && [ "$(stat -c %s "$D/out-folder")" -gt 1000 ]; then
  echo "identical output through all ${#KINDS[@]} kinds"
else
  echo "OUTPUTS DIFFER (server log: see above)"; tail -20 "$D/server.log"; exit 1
fi
