#!/usr/bin/env bash
# Installs the Debian packages landquota builds and tests with. Idempotent and quiet:
# when everything is present it prints nothing and touches nothing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libgdal-dev gdal-bin libgeos-dev libproj-dev proj-bin
  libboost-dev catch2 libtomlplusplus-dev nlohmann-json3-dev libfmt-dev libcli11-dev
  libsqlite3-dev sqlite3 libssl-dev libxlsxwriter-dev
  coinor-libcbc-dev coinor-libclp-dev
  postgresql postgresql-15-postgis-3 glpk-utils
  clang-format git ccache     # ccache: the sanitized build (make test-asan)
  clang libclang-rt-14-dev   # make fuzz: clang++ and its libFuzzer runtime
  util-linux mount # setpriv, unshare, prlimit, mount: the tests of permission and disk faults
  python3-openpyxl
  qgis python3-qgis fonts-noto-cjk
  libjs-leaflet libjs-chart.js chromium
  libboost-locale-dev gettext   # messages: Boost.Locale reads po/*.po compiled by msgfmt
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# apt's chatter goes to a log shown only when something fails.
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "setup: apt-get failed" >&2
  exit 1
fi
