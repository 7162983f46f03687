#!/usr/bin/env bash
# Builds and tests PMR Chain's parachain build (`--features parachain`) in its own cargo
# profile (`parachain`, target dir $CARGO_TARGET_DIR/parachain). It tests what differs in
# that build, and nothing the standalone build already proved on the same runtime code:
#  - the runtime's genesis presets (para id, invulnerable collators, Aura authorities);
#  - the node's unit tests (the collator service, the relay chain arguments);
#  - dev mode without a relay chain: `pmr-node --dev` seals blocks itself (manual seal, mocked
#    relay chain data), finalizes them and includes a signed transfer (`dev_chain`).
# The domain flows (care flow, ingest with kill -9, key release, the networks) run once, in
# the standalone build (docs/build.md lists every scenario and where it runs); the relay chain
# network is zombienet's (scripts/test.sh).
#
# scripts/test.sh runs this when the parachain build's cache is warm (a `pmr-node` in
# $CARGO_TARGET_DIR/parachain from an earlier run) or PMR_PARACHAIN=1; PMR_PARACHAIN=0 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

features="$PMR_FEATURES,pmr-node/parachain"
# The runtime WASM is always a release build; say so, or the WASM builder warns that it does
# not know the `parachain` profile.
export WASM_BUILD_TYPE=release
filter='package(pmr-runtime) | (package(pmr-node) & (kind(lib) | binary(dev_chain)))'
start=$(date +%s)
if cargo nextest --version >/dev/null 2>&1; then
	cargo nextest run --locked --no-fail-fast --failure-output final --cargo-profile parachain \
		-p pmr-runtime -p pmr-node --features "$features" -E "$filter"
else
	cargo test --locked --no-fail-fast --profile parachain -p pmr-runtime -p pmr-node \
		--features "$features" --lib --test dev_chain
fi
echo "[test] parachain build (build + run) took $(( $(date +%s) - start ))s"
