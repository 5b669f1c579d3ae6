#!/usr/bin/env bash
# Builds and runs ImageProxy locally.
#
#   ./run.sh [--urls URL] [--sources FILE] [--cache-dir DIR] [--libvips bundled|system|FILE] [other server options]
#
# Defaults: --urls http://127.0.0.1:8080 --sources samples/sources.json. Every argument is passed
# to the server unchanged; the defaults are only added when the option is absent.
# libvips: by default the build from NuGet (NetVips.Native, restored with the project); with
# --libvips system Debian's libvips42 (8.14, adds PDF through poppler), installed here when missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"   # the server resolves relative paths (sources file, cache dir) from here
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { printf '[run.sh] %s\n' "$*" >&2; }

# Look at the arguments only to learn what is set; they are passed on untouched.
urls="" sources="" libvips=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  a=${args[i]}; next=${args[i + 1]:-}
  case "$a" in
    --urls) urls=$next ;;      --urls=*) urls=${a#*=} ;;
    --sources) sources=$next ;; --sources=*) sources=${a#*=} ;;
    --libvips) libvips=$next ;; --libvips=*) libvips=${a#*=} ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  esac
done
extra=()
[ -n "$urls" ] || { urls="http://127.0.0.1:8080"; extra+=(--urls "$urls"); }
[ -n "$sources" ] || { sources="samples/sources.json"; extra+=(--sources "$sources"); }

if [ "${libvips,,}" = system ] && ! dpkg-query -W -f='${Status}' libvips42 2>/dev/null | grep -q 'install ok installed'; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  say "installing Debian's libvips42 with apt-get (for --libvips system)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libvips42 >/dev/null
fi

say "building (dotnet build src/ImageProxy.Server -c Release)"
dotnet build src/ImageProxy.Server -c Release -nologo -v quiet -clp:ErrorsOnly

# Example URLs, for the bundled samples only (other sources files have other paths).
base="${urls%%;*}"
base="${base/\/\/0.0.0.0/\/\/127.0.0.1}"; base="${base/\/\/\*/\/\/127.0.0.1}"; base="${base/\/\/+/\/\/127.0.0.1}"
base="${base%/}"
if [ "$(realpath -m "$sources")" = "$ROOT/samples/sources.json" ]; then
  # The /signed source uses the public demo token from samples/sources.json.
  # imgix signature: md5(token + path + "?" + query), appended as &s=.
  sign() { printf '%s' "imageproxy-demo-token$1?$2" | md5sum | cut -c1-32; }
  sp="/signed/garden-1600x1000.jpg"; sq="w=400&fm=webp"
  cat >&2 <<EOF
[run.sh] try:
  resize        $base/samples/garden-1600x1000.jpg?w=400
  crop          $base/samples/safelanding-720x1278.jpg?w=300&h=300&fit=crop&crop=entropy
  auto=format   $base/samples/gopher-600x600.png?w=300&auto=format      (WebP/AVIF when the browser accepts it)
  EXIF rotate   $base/samples/exif-orient6-iphone-205x102.jpg?h=200
  alpha → PNG   $base/samples/webp-yellowrose-alpha-400x301.webp?w=200&fm=png
  signed        $base$sp?$sq&s=$(sign "$sp" "$sq")
  unsigned → 403 $base$sp?$sq
  health        $base/_imageproxy/health/ready
EOF
fi

say "starting: dotnet src/ImageProxy.Server/bin/Release/net10.0/ImageProxy.Server.dll ${extra[*]} $*"
exec dotnet src/ImageProxy.Server/bin/Release/net10.0/ImageProxy.Server.dll "${extra[@]}" "$@"
