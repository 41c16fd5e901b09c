#!/usr/bin/env bash
# Installs the system packages landstock builds against (Debian/Ubuntu).
#   libproj-dev   PROJ 9.x, linked by the `proj` crate for CRS transformations
#   libclang-dev  used by bindgen to generate the PROJ bindings
#   pkg-config    finds PROJ
#   cmake, g++    build HiGHS (the MILP solver) from the `highs` crate's sources
#   libgdal-dev   GDAL 3.6, linked by the `gdal` crate (feature `gdal`, on by default):
#                 Shapefile, GeoPackage, FlatGeobuf, File Geodatabase, CSV, PostGIS
#   gdal-bin      ogr2ogr/ogrinfo: the format tests convert the fixture city with them
#   postgresql, postgis   the PostGIS reader's test server (scripts/start-postgis.sh)
#   fonts-wqy-microhei  a CJK font (1.6 MB) for PNG maps with Chinese labels
#                 (`landstock plan --lang zh --map map.png`; resvg loads system fonts)
#   chromium      the studio's browser test (studio-tests/): playwright-core
#                 drives it over its DevTools pipe, so no chromium-driver
# Safe to run again; does nothing when everything is there.
set -euo pipefail
pkgs=(libproj-dev libclang-dev pkg-config cmake g++ fonts-wqy-microhei libgdal-dev gdal-bin postgresql postgis chromium)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
