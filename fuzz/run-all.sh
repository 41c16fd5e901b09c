#!/bin/sh
# Runs each target for $1 seconds (default 600), one job, low priority; logs in logs/.
T=${1:-600}
for t in ${TARGETS:-config mapping geojson}; do
  case $t in
    geojson) extra="../tests/bad_inputs" ;;
    *) extra="" ;;
  esac
  start=$(date +%s)
  nice -n 15 cargo +nightly fuzz run -O $t corpus/$t $extra -- -max_total_time=$T -rss_limit_mb=3072 -timeout=20 > logs/$t.log 2>&1
  echo "$t rc=$? seconds=$(( $(date +%s) - start ))" >> logs/summary.txt
done
