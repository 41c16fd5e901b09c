#!/usr/bin/env bash
# The main job on the bundled fixture city: installs system packages, builds
# landstock (release), validates fixtures/city.geojson, scores it and plans it
# under the [plan] of fixtures/city.toml. Outputs go to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cargo build --release --quiet
mkdir -p out
LAYERS=(--transit fixtures/city_transit.geojson --facilities fixtures/city_facilities.geojson)
./target/release/landstock validate fixtures/city.geojson --config fixtures/city.toml
./target/release/landstock score fixtures/city.geojson --config fixtures/city.toml "${LAYERS[@]}" \
  --out out/scored.geojson
./target/release/landstock plan fixtures/city.geojson --config fixtures/city.toml "${LAYERS[@]}" \
  --out out/plan.geojson --summary out/summary.json --csv out/decisions.csv
