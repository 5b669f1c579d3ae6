#!/usr/bin/env bash
# Fetches the prebuilt, self-contained libvips shipped in the npm package @img/sharp-libvips-linux-<arch>
# into .native/ (git-ignored) and checks its checksum. No root needed; uses only `npm pack`.
# Prints the path of the library file on stdout. Idempotent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="1.3.4"   # libvips 8.18.7 (see the package's versions.json)
case "$(uname -m)" in
  x86_64) ARCH=x64; SHA256="e371cb713fc8822c96a0d3fb60a3d092799d0aefab6d7f1fb3b72d8d75f1d109";;
  aarch64) ARCH=arm64; SHA256="${IMAGEPROXY_LIBVIPS_ARM64_SHA256:-}";;
  *) echo "fetch-libvips: unsupported architecture $(uname -m)" >&2; exit 1;;
esac
PKG="@img/sharp-libvips-linux-$ARCH@$VERSION"
DEST="$ROOT/.native/sharp-libvips-linux-$ARCH-$VERSION"
find_lib() { ls "$DEST"/lib/libvips-cpp.so.* 2>/dev/null | head -n1; }
if [ -n "$(find_lib)" ]; then find_lib; exit 0; fi
command -v npm >/dev/null || { echo "fetch-libvips: npm is needed (apt-get install nodejs npm)" >&2; exit 1; }
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
echo "fetch-libvips: downloading $PKG with npm pack" >&2
(cd "$TMP" && npm pack --silent "$PKG" >/dev/null 2>&1)
TGZ="$(ls "$TMP"/*.tgz)"
if [ -n "$SHA256" ]; then
  echo "$SHA256  $TGZ" | sha256sum -c --quiet - >&2 || { echo "fetch-libvips: checksum mismatch for $PKG" >&2; exit 1; }
else
  echo "fetch-libvips: no pinned checksum for $ARCH; set IMAGEPROXY_LIBVIPS_ARM64_SHA256 to pin it" >&2
fi
mkdir -p "$DEST"
tar -xzf "$TGZ" -C "$DEST" --strip-components=1
find_lib
