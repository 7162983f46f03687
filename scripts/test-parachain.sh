#!/usr/bin/env bash
# Builds and tests PMR Chain's parachain build (`--features parachain`) in its own cargo
# profile (`parachain`, target dir $CARGO_TARGET_DIR/parachain):
#  - the runtime's genesis presets (para id, invulnerable collators) and the node's unit tests;
#  - the single-node end-to-end tests on `pmr-node --dev`, which in this build runs the
#    parachain runtime without a relay chain (manual seal, mocked relay chain data): blocks
#    authored and finalized, a signed transfer, the care flow, the ingest worker with IPFS
#    (kill -9 and restart included) and key release.
# The multi-node tests (validator governance, the 3-hospital consortium, zombienet) and the
# load harness are the standalone build's (see docs/build.md for what that leaves untested).
#
# scripts/test.sh runs this when the parachain build's cache is warm (a `pmr-node` in
# $CARGO_TARGET_DIR/parachain from an earlier run) or PMR_PARACHAIN=1; PMR_PARACHAIN=0 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
./scripts/ipfs-dev-node.sh >/dev/null

features="$PMR_FEATURES,pmr-node/parachain"
# The runtime WASM is always a release build; say so, or the WASM builder warns that it does
# not know the `parachain` profile.
export WASM_BUILD_TYPE=release
filter='package(pmr-runtime) | (package(pmr-node) & (kind(lib) | binary(dev_chain) | binary(care_flow) | binary(ingest_flow) | binary(key_release_flow)))'
start=$(date +%s)
if cargo nextest --version >/dev/null 2>&1; then
	cargo nextest run --locked --no-fail-fast --failure-output final --cargo-profile parachain \
		-p pmr-runtime -p pmr-node --features "$features" -E "$filter"
else
	cargo test --locked --no-fail-fast --profile parachain -p pmr-runtime -p pmr-node \
		--features "$features" --lib --test dev_chain --test care_flow --test ingest_flow \
		--test key_release_flow
fi
echo "[test] parachain build (build + run) took $(( $(date +%s) - start ))s"
