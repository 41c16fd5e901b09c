#!/usr/bin/env bash
# Opens an HTML report (`landstock plan ... --report report.html`) in headless
# Chromium and saves a screenshot, so anyone can look at it without a desktop.
#   scripts/screenshot-report.sh REPORT.html OUT.png [WIDTH,HEIGHT]
# Installs Debian's `chromium` package when it is missing (apt-get; root or
# sudo). Not part of the test run. The report needs no network, and the
# browser is started with everything that would phone home switched off.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 REPORT.html OUT.png [WIDTH,HEIGHT (default 1400,2000)]" >&2
  exit 2
fi
report=$(realpath "$1")
out=$(realpath -m "$2")
size=${3:-1400,2000}
[ -f "$report" ] || { echo "$0: no such report: $1" >&2; exit 1; }

if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
rm -f "$out"
# chromium prints harmless D-Bus and GPU warnings on stderr; keep them out of
# the way unless it fails.
if ! chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" --window-size="$size" \
  --screenshot="$out" "file://$report" 2>"$profile/stderr.log"; then
  cat "$profile/stderr.log" >&2
  exit 1
fi
[ -s "$out" ] || { cat "$profile/stderr.log" >&2; echo "$0: no screenshot written" >&2; exit 1; }
echo "wrote $out"
