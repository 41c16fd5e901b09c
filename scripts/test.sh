#!/usr/bin/env bash
# The test suite: unit tests, integration tests (which read the real data in
# ../shared/data when it is there), doc examples, and the examples run as
# tests, then the studio's browser flows (studio-tests/flows.test.mjs:
# Debian's chromium driven by playwright-core, on the dev binary cargo test
# built; the timings and the hammer are scripts/studio-perf.sh), then clippy
# with warnings as errors. Installs the system packages first
# (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cargo fmt --all --check
cargo test
(cd studio-tests && npm ci --no-audit --no-fund --loglevel=error)
node --test --test-concurrency=1 studio-tests/flows.test.mjs
cargo clippy --all-targets -- -D warnings
