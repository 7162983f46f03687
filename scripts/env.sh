# Sourced by the other scripts: the shared build environment of PMR Chain.
#
# PMR_CACHE          where persistent state lives (default: ~/.cache/pmr-chain)
# CARGO_TARGET_DIR   the one cargo target dir shared by the dev node, the tests and CI
#                    (default: $PMR_CACHE/target), so none of them rebuilds what another built
# WASM_BUILD_TOOLCHAIN  set by scripts/setup.sh only when the offline fallback toolchain is used
# PMR_IPFS_API       the vault's IPFS RPC API (default: the dev node of scripts/ipfs-dev-node.sh)
# PMR_DICOM_SAMPLES  real DICOM files for the vault's tests (scripts/fetch-test-data.sh)
# PMR_FEATURES       the one feature set of the dev node and the test suite. It includes
#                    runtime-benchmarks, so CI runs every pallet's benchmarks as tests and the
#                    dev node can run `benchmark pallet`; production builds leave it out.

export PMR_CACHE="${PMR_CACHE:-$HOME/.cache/pmr-chain}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PMR_CACHE/target}"
export PMR_FEATURES="${PMR_FEATURES:-pmr-node/runtime-benchmarks}"
export PMR_IPFS_API="${PMR_IPFS_API:-http://127.0.0.1:${PMR_IPFS_PORT:-5001}}"
export PMR_DICOM_SAMPLES="${PMR_DICOM_SAMPLES:-$PMR_CACHE/test-data/dicom}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
mkdir -p "$PMR_CACHE" "$CARGO_TARGET_DIR"
if [ -f "$PMR_CACHE/wasm-toolchain.env" ]; then
	# shellcheck disable=SC1091
	. "$PMR_CACHE/wasm-toolchain.env"
fi

# Builds (when needed) the production-profile node that every measurement uses (weights, load
# harness, ingest benchmark) and prints its path. runtime-benchmarks adds the benchmarking
# runtime API and changes no dispatch path, so one build serves all three.
pmr_production_node() {
	cargo build --locked --profile production -p pmr-node --features runtime-benchmarks >&2
	echo "$CARGO_TARGET_DIR/production/pmr-node"
}
