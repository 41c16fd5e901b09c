#!/usr/bin/env bash
# The main job on the bundled fixture city: installs system packages, builds
# landstock (release) and runs it on fixtures/city.geojson. Outputs go to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cargo build --release --quiet
mkdir -p out
./target/release/landstock validate fixtures/city.geojson --config fixtures/city.toml
./target/release/landstock score fixtures/city.geojson --config fixtures/city.toml \
  --transit fixtures/city_transit.geojson --facilities fixtures/city_facilities.geojson \
  --out out/scored.geojson
