#!/usr/bin/env bash
# The studio's figures, printed: builds the release binaries, then runs
# studio-tests/perf.test.mjs (LANDSTOCK_STUDIO_PERF=1) on them in Debian's
# chromium: the 20,000-parcel slider (median of 20 moves to a new plan on
# screen), the large city's page open, pan and zoom (LANDSTOCK_STUDIO_BIG
# parcels, default 1,000,000: 290 MB of GeoJSON in $TMPDIR and a few GB
# of memory), and the hammer (500 plan requests from 8 clients; its answers
# and memory are asserted). Not part of scripts/test.sh: it takes minutes.
#
#   bash scripts/studio-perf.sh                      # default features
#   bash scripts/studio-perf.sh --no-default-features --features png,serve
#                                                    # no HiGHS build ("prove it" off)
# Extra arguments go to `cargo build --release`.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin landstock --example make_fixture_city "$@"
(cd studio-tests && npm ci --no-audit --no-fund --loglevel=error)
LANDSTOCK_STUDIO_PERF=1 LANDSTOCK_PROFILE=release \
  node --test --test-concurrency=1 --test-reporter=spec studio-tests/perf.test.mjs
