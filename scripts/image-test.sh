#!/usr/bin/env bash
# Builds the Dockerfile with podman where no registry is reachable, then serves an image from the built image's
# filesystem. What it proves: the Dockerfile builds (self-contained publish, libvips from NuGet), the image runs
# as uid 1654 on a read-only root with only /tmp, the cache and the sources mounted, and renders a real JPEG.
#
#   scripts/image-test.sh                   # as root (debootstrap, podman image mount, chroot)
#   MEASURE_ARENAS=1 scripts/image-test.sh  # and compare peak RSS with MALLOC_ARENA_MAX=2 and without
# First run about 10 minutes on a busy 2-core machine (debootstrap, base images, restore, build); about 1 minute
# after that (bases and build layers reused).
#
# Why not `podman run`: crun cannot set rlimits on these machines. So the two base images are made locally and
# passed as build arguments (the Dockerfile's defaults are the official .NET images):
#   runtime-deps: `debootstrap --variant=minbase bookworm` plus what the official runtime-deps image has
#                 (ICU, OpenSSL, CA certificates, time zones);
#   sdk:          the same root plus this machine's .NET SDK.
# and the server is started with chroot on `podman image mount`, on the host's network.
# Env: WORK (/var/tmp/imageproxy-image-test, kept between runs: the bases are reused), MIRROR, PORT (18480).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${WORK:-/var/tmp/imageproxy-image-test}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
PORT="${PORT:-18480}"
IMAGE=localhost/imageproxy:image-test
say() { printf '[image-test] %s\n' "$*" >&2; }
[ "$(id -u)" = 0 ] || { say "run as root (debootstrap, mount, chroot)"; exit 1; }
for tool in podman debootstrap curl; do command -v "$tool" >/dev/null || { say "$tool missing (apt-get install podman debootstrap curl)"; exit 1; }; done
mkdir -p "$WORK" "$WORK/nuget"

# ---- local bases ----------------------------------------------------------------------------------
if ! podman image exists localhost/imageproxy-test/runtime-deps; then
  say "debootstrap bookworm (minbase) into $WORK/rootfs"
  rm -rf "$WORK/rootfs"
  debootstrap --variant=minbase --include=libicu72,libssl3,ca-certificates,tzdata bookworm "$WORK/rootfs" "$MIRROR" >"$WORK/debootstrap.log"
  tar -C "$WORK/rootfs" -c . | podman import - localhost/imageproxy-test/runtime-deps >/dev/null
fi
if ! podman image exists localhost/imageproxy-test/sdk; then
  say "sdk base: the same root plus $(dirname "$(readlink -f "$(command -v dotnet)")")"
  sdk_root="$WORK/sdk-rootfs"
  rm -rf "$sdk_root"; cp -a "$WORK/rootfs" "$sdk_root"
  cp -a "$(dirname "$(readlink -f "$(command -v dotnet)")")" "$sdk_root/usr/share/dotnet"
  ln -sf ../share/dotnet/dotnet "$sdk_root/usr/bin/dotnet"
  tar -C "$sdk_root" -c . | podman import --change 'ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1' - localhost/imageproxy-test/sdk >/dev/null
  rm -rf "$sdk_root"
fi

# ---- build ----------------------------------------------------------------------------------------
# The packages (the runtime packs of a self-contained publish among them) are restored here by this machine's
# dotnet into a folder the build mounts and restores from offline: inside the build, the registry's TLS chain
# is not one the bare Debian root trusts.
say "restoring packages for linux-x64 into $WORK/nuget"
NUGET_PACKAGES="$WORK/nuget" dotnet restore "$ROOT/src/ImageProxy.Server/ImageProxy.Server.csproj" -r linux-x64 >"$WORK/restore.log" 2>&1 \
  || { tail -20 "$WORK/restore.log" >&2; exit 1; }
say "podman build --isolation=chroot (log: $WORK/build.log)"
podman build --isolation=chroot \
  --build-arg SDK_IMAGE=localhost/imageproxy-test/sdk \
  --build-arg RUNTIME_IMAGE=localhost/imageproxy-test/runtime-deps \
  --build-arg RESTORE_OPTIONS="--source /root/.nuget/packages" \
  -v "$WORK/nuget:/root/.nuget/packages" \
  -t "$IMAGE" "$ROOT" >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log" >&2; exit 1; }
user="$(podman image inspect --format '{{.Config.User}}' "$IMAGE")"
arena="$(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE" | grep -c '^MALLOC_ARENA_MAX=2$' || true)"
[ "$user" = 1654:1654 ] || { say "FAIL: image user is '$user', not 1654:1654"; exit 1; }
[ "$arena" = 1 ] || { say "FAIL: MALLOC_ARENA_MAX=2 not set in the image"; exit 1; }

# ---- run from the image's filesystem ----------------------------------------------------------------
MNT="$(podman image mount "$IMAGE")"
SERVER_PID=""
MOUNTS=()
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  local i; for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do umount -l "${MOUNTS[i]}" 2>/dev/null || true; done
  podman image unmount "$IMAGE" >/dev/null 2>&1 || true
}
trap cleanup EXIT
mnt() { mount "$@"; MOUNTS+=("${*: -1}"); }
# Only what a read-only-root deployment mounts: proc and dev (the runtime's), /tmp, the cache, the sources.
mkdir -p "$WORK/etc"
cp "$ROOT/samples/garden-1600x1000.jpg" "$WORK/etc/"
printf '{"sources":[{"name":"img","pathPrefix":"/img","kind":"folder","folder":{"root":"/etc/imageproxy"}}]}\n' >"$WORK/etc/sources.json"
mnt -t proc proc "$MNT/proc"
mnt --rbind /dev "$MNT/dev"
mnt -t tmpfs -o mode=1777 tmpfs "$MNT/tmp"
mnt -t tmpfs -o uid=1654,gid=1654,mode=0700 tmpfs "$MNT/var/cache/imageproxy"
mnt --bind -o ro "$WORK/etc" "$MNT/etc/imageproxy"
# `podman image mount` is read-only: the server runs as a read-only-root deployment would.
if touch "$MNT/app/.write-test" 2>/dev/null; then rm -f "$MNT/app/.write-test"; say "FAIL: the image mount is writable, so read-only root is not tested"; exit 1; fi

# start_server [ARENAS]: the image's entrypoint as 1654:1654 in a chroot of the image, with MALLOC_ARENA_MAX=ARENAS
# (default 2, the image's setting; "" leaves it unset: glibc's default of 8 per core).
start_server() {
  local arenas="${1-2}"
  env -i PATH=/usr/bin:/bin HOME=/tmp ${arenas:+MALLOC_ARENA_MAX=$arenas} \
    "$(command -v chroot)" --userspec=1654:1654 "$MNT" /app/ImageProxy.Server \
    --urls "http://127.0.0.1:$PORT" --sources /etc/imageproxy/sources.json --cache-dir /var/cache/imageproxy \
    >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 150); do
    kill -0 "$SERVER_PID" 2>/dev/null || { say "FAIL: the server exited"; cat "$WORK/server.log" >&2; exit 1; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/_imageproxy/health/ready")" = 200 ] && return 0
    sleep 0.2
  done
  say "FAIL: not ready"; cat "$WORK/server.log" >&2; exit 1
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }

say "starting /app/ImageProxy.Server as 1654:1654 in a chroot of the image (port $PORT)"
start_server
curl -s "http://127.0.0.1:$PORT/_imageproxy/health/ready" >"$WORK/ready.json"
curl -s -D "$WORK/headers.txt" -o "$WORK/out.webp" "http://127.0.0.1:$PORT/img/garden-1600x1000.jpg?w=200&fm=webp"
status="$(head -n1 "$WORK/headers.txt" | tr -d '\r')"
magic="$(head -c 12 "$WORK/out.webp" | tail -c 4)"
[[ "$status" == *" 200"* && "$magic" == WEBP ]] || { say "FAIL: $status, body starts ${magic@Q}"; cat "$WORK/server.log" >&2; exit 1; }
say "OK: $status, $(stat -c %s "$WORK/out.webp") bytes of WebP from a read-only root as uid 1654; libvips $(grep -o '"version":"[^"]*"' "$WORK/ready.json")"

# MEASURE_ARENAS=1: peak RSS over 240 distinct renders, 4 at a time, with MALLOC_ARENA_MAX=2 and with glibc's default.
if [ "${MEASURE_ARENAS:-0}" = 1 ]; then
  peak_after_load() {
    local first="$1" ok
    ok=$(seq "$first" $((first + 239)) | xargs -P4 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
      "http://127.0.0.1:$PORT/img/garden-1600x1000.jpg?w={}&fm=webp" | grep -c '^200$')
    [ "$ok" = 240 ] || { say "FAIL: $ok of 240 renders answered 200"; exit 1; }
    awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status"
  }
  stop_server; rm -rf "${MNT:?}/var/cache/imageproxy/"* 2>/dev/null || true
  start_server 2; with=$(peak_after_load 100); stop_server
  start_server ""; without=$(peak_after_load 400); stop_server
  [[ $with =~ ^[0-9]+$ && $without =~ ^[0-9]+$ ]] || exit 1
  say "peak RSS over 240 renders (c=4): MALLOC_ARENA_MAX=2 $((with / 1024)) MiB, glibc default $((without / 1024)) MiB"
fi
