#!/usr/bin/env bash
# The test suite: unit tests, integration tests (which read the real data in
# ../shared/data when it is there), doc examples, and the examples run as
# tests, then clippy with warnings as errors. Installs the system packages
# first (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cargo fmt --all --check
cargo test
cargo clippy --all-targets -- -D warnings
