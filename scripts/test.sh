#!/usr/bin/env bash
# Sets up and runs the whole PMR Chain test suite:
#  1. the chain workspace: unit tests of every crate (pallets with their benchmarks as tests),
#     the ingest worker's tests against the local IPFS node, and the end-to-end tests that run
#     the real pmr-node binary (dev chain; the local chain's validators governed while it runs; records and DICOM studies
#     through the ingest worker, kill -9 and restart);
#  2. the parachain build (scripts/test-parachain.sh), when its cache is warm;
#  3. the zombienet networks (their own workspace): a 4-validator standalone network spawned
#     with zombienet-sdk from that pmr-node, a signed transaction, and kill/restart/partition
#     fault tests; a relay chain with PMR Chain collators when the binaries are there;
#  4. the vault library (its own workspace): unit tests, real DICOM files, property tests,
#     and integration tests against the local private IPFS node this script starts.
# One cargo invocation per workspace, one after the other, with one profile and the shared
# CARGO_TARGET_DIR (scripts/env.sh), so CI reuses a developer's build.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
. scripts/env.sh
./scripts/fetch-test-data.sh
./scripts/ipfs-dev-node.sh
trap './scripts/ipfs-dev-node.sh stop' EXIT
start=$(date +%s)

run() {
	if cargo nextest --version >/dev/null 2>&1; then
		cargo nextest run --locked --no-fail-fast --failure-output final "$@"
	else
		cargo test --locked --no-fail-fast "$@"
	fi
}

status=0
echo "[test] chain workspace"
run --workspace --features "$PMR_FEATURES" || status=1
echo "[test] runtime with try-runtime (every pallet's try_state on the real runtime)"
# Native only: the runtime's tests need no WASM blob, and a try-runtime blob would be a
# second WASM build.
SKIP_WASM_BUILD=1 run -p pmr-runtime --features try-runtime,runtime-benchmarks || status=1
# The parachain build is heavier (Cumulus, polkadot-service, RocksDB): CI builds and tests it
# when its cache is warm, i.e. an earlier scripts/test-parachain.sh left a pmr-node in its
# target dir, or when PMR_PARACHAIN=1. docs/build.md says what a cold-cache run leaves untested.
case "${PMR_PARACHAIN:-auto}" in
1) parachain=1 ;;
0) parachain=0 ;;
*) [ -x "$CARGO_TARGET_DIR/parachain/pmr-node" ] && parachain=1 || parachain=0 ;;
esac
if [ "$parachain" = 1 ]; then
	echo "[test] parachain build"
	./scripts/test-parachain.sh || status=1
else
	echo "[test] parachain build: SKIPPED (its cache is cold; scripts/test-parachain.sh builds it once, PMR_PARACHAIN=1 forces it)"
fi
echo "[test] zombienet networks (4 validators; kill, restart and partition faults; relay chain + collators)"
# The standalone network runs the pmr-node the chain workspace's tests just built (with its
# WASM runtime); the relay chain test runs the parachain build's, with the polkadot binaries of
# scripts/build-polkadot.sh, and says SKIPPED when either is missing.
if [ "$parachain" != 1 ] || [ ! -x "$PMR_CACHE/polkadot/bin/polkadot" ]; then
	echo "[test] zombienet relay chain + PMR Chain collators: SKIPPED (needs the parachain build and scripts/build-polkadot.sh's binaries)"
fi
parachain_node=""
[ "$parachain" = 1 ] && parachain_node="$CARGO_TARGET_DIR/parachain/pmr-node"
PMR_NODE_BIN="$CARGO_TARGET_DIR/debug/pmr-node" \
	PMR_PARACHAIN_NODE_BIN="$parachain_node" \
	PMR_POLKADOT_BIN_DIR="$PMR_CACHE/polkadot/bin" \
	run --manifest-path zombienet/Cargo.toml || status=1
echo "[test] vault library"
run --manifest-path vault/Cargo.toml || status=1
echo "[test] whole suite (build + run) took $(( $(date +%s) - start ))s; status $status"
exit $status
