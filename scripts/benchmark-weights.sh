#!/usr/bin/env bash
# Regenerates the weights of PMR Chain's pallets with frame-benchmarking (v2) on this machine:
# builds pmr-node with `--profile production --features runtime-benchmarks` (the host functions
# a validator runs: storage, trie, hashing, all optimised and LTO-linked), then runs
# `pmr-node benchmark pallet` for each pallet and writes `pallets/<name>/src/weights.rs`, whose
# header names the machine (CPU, cores, memory, kernel) and the build.
#   usage: scripts/benchmark-weights.sh [pallet_name ...]   (default: all PMR pallets)
# STEPS / REPEAT override the sampling (defaults 50 / 20, as upstream).
# PMR_BENCH_NODE=path skips the build and uses that node binary.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
node="${PMR_BENCH_NODE:-$(pmr_production_node)}"

header="$CARGO_TARGET_DIR/weights-header.txt"
pmr_weights_header scripts/benchmark-weights.sh "$node" >"$header"

declare -A dirs=([pallet_registry]=pallets/registry [pallet_consent]=pallets/consent [pallet_key_release]=pallets/key-release [pallet_medical_records]=pallets/medical-records [pallet_lab_reports]=pallets/lab-reports [pallet_validator_set]=pallets/validator-set [pallet_node_allowlist]=pallets/node-allowlist)
pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=("${!dirs[@]}")
for p in "${pallets[@]}"; do
	out="${dirs[$p]:?unknown pallet $p}/src/weights.rs"
	echo "[weights] $p -> $out"
	"$node" benchmark pallet \
		--chain dev \
		--pallet "$p" --extrinsic '*' \
		--steps "${STEPS:-50}" --repeat "${REPEAT:-20}" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--header "$header" \
		--template scripts/pallet-weight-template.hbs \
		--output "$out"
done
