#!/usr/bin/env bash
# Runs two landstock binaries on the fixture city and on Fishtown with the
# same arguments and compares what they write: the plan GeoJSON, the
# decisions CSV and the summary JSON, byte for byte except the summary's
# wall-clock `solver.seconds` (masked). Three runs: the fixture city as
# scripts/run-fixture.sh plans it, the same with --phases and --scenarios,
# and Fishtown under a 5 ha cap. Extra arguments go to every `plan`
# run (e.g. --solver fast for a quick look; compare with defaults to sign off).
#
#   bash scripts/compare-outputs.sh BEFORE_BIN AFTER_BIN [PLAN_ARGS...]
#
# Fishtown needs the shared data (../shared/data or LANDSTOCK_SHARED_DATA);
# without it only the fixture city is compared. Exit 0 when identical.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 BEFORE_BIN AFTER_BIN [PLAN_ARGS...]" >&2; exit 2; }
before=$(realpath "$1"); after=$(realpath "$2"); shift 2
data=${LANDSTOCK_SHARED_DATA:-../shared/data}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() { # NAME BIN ARGS...
  local name=$1 bin=$2; shift 2
  mkdir -p "$work/$name"
  "$bin" plan "$@" --out "$work/$name/plan.geojson" --summary "$work/$name/summary.json" \
    --csv "$work/$name/decisions.csv" --quiet
  # the one measured value
  python3 - "$work/$name/summary.json" <<'PY'
import json, re, sys
p = sys.argv[1]
text = open(p).read()
masked = re.sub(r'("seconds": )[-0-9.eE+]+', r'\1"<masked>"', text)
json.loads(masked)  # still JSON
open(p, "w").write(masked)
PY
}

cities=(fixture phased)
fixture=(fixtures/city.geojson --config fixtures/city.toml
  --transit fixtures/city_transit.geojson --facilities fixtures/city_facilities.geojson)
# the summary's phases and scenarios members too (fast solver: the exact one
# would take minutes on four caps)
phased=("${fixture[@]}" --phases 40ha,40ha,40ha --scenarios 60ha,180ha --solver fast)
fishtown=("$data/fishtown/fishtown_parcels.geojson" --config examples/configs/fishtown.toml --cap 5ha)
if [ -f "$data/fishtown/fishtown_parcels.geojson" ]; then
  cities+=(fishtown)
else
  echo "no shared data at $data: Fishtown not compared" >&2
fi

status=0
for city in "${cities[@]}"; do
  declare -n args=$city
  run "before-$city" "$before" "${args[@]}" "$@"
  run "after-$city" "$after" "${args[@]}" "$@"
  for f in plan.geojson decisions.csv summary.json; do
    if cmp -s "$work/before-$city/$f" "$work/after-$city/$f"; then
      echo "$city $f: identical ($(wc -c <"$work/after-$city/$f") bytes)"
    else
      echo "$city $f: DIFFERENT"
      diff <(head -c 200000 "$work/before-$city/$f") <(head -c 200000 "$work/after-$city/$f") | head -20 || true
      status=1
    fi
  done
done
exit $status
