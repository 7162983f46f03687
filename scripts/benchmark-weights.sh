#!/usr/bin/env bash
# Regenerates the weights of PMR Chain's pallets with frame-benchmarking (v2) on this machine:
# builds pmr-node with the shared feature set (which includes runtime-benchmarks), then runs
# `pmr-node benchmark pallet` for each pallet and writes `pallets/<name>/src/weights.rs`.
#   usage: scripts/benchmark-weights.sh [pallet_name ...]   (default: all PMR pallets)
# STEPS / REPEAT override the sampling (defaults 50 / 20, as upstream).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
cargo build --locked -p pmr-node --features "$PMR_FEATURES"
node="$CARGO_TARGET_DIR/debug/pmr-node"

declare -A dirs=([pallet_registry]=pallets/registry [pallet_consent]=pallets/consent [pallet_key_release]=pallets/key-release [pallet_medical_records]=pallets/medical-records [pallet_lab_reports]=pallets/lab-reports [pallet_validator_set]=pallets/validator-set)
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
		--header scripts/weights-header.txt \
		--template scripts/pallet-weight-template.hbs \
		--output "$out"
done
