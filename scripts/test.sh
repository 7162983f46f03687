#!/usr/bin/env bash
# Sets up and runs the whole PMR Chain test suite: unit tests of every workspace crate and the
# end-to-end tests that run the real pmr-node binary (dev chain; two-validator local chain).
# One cargo invocation builds the node and the tests with one profile into the shared
# CARGO_TARGET_DIR (see scripts/env.sh), so CI reuses a developer's build.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
. scripts/env.sh
start=$(date +%s)
if cargo nextest --version >/dev/null 2>&1; then
	cargo nextest run --locked --workspace --features "$PMR_FEATURES" --no-fail-fast --failure-output final "$@"
else
	cargo test --locked --workspace --features "$PMR_FEATURES" --no-fail-fast "$@"
fi
echo "[test] whole suite (build + run) took $(( $(date +%s) - start ))s"
