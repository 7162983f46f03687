#!/usr/bin/env bash
# Measures the runtime's database weights (`runtime/src/weights/paritydb_weights.rs`, what
# `frame_system::Config::DbWeight` charges per storage read and write) on this machine: reads
# and then writes every key of a populated chain state from ParityDB with
# `pmr-node benchmark storage`.
#   usage: scripts/benchmark-db-weights.sh [BASE_PATH [CHAIN]]
# Without BASE_PATH the state is the one the load run of docs/performance.md leaves behind
# (scripts/load.sh: 16 hospitals, 128 doctors, 512 patients, 8,000 records, 2,000 grants,
# 4,000 audited accesses). With it, the state of that database (e.g. a copy of a stopped
# validator's base path; CHAIN names its chain spec, default `dev`). A deployment measures its
# own validators' state and hardware and ships the result in a runtime upgrade
# (docs/operations.md).
# The weight is the average per access × 1.1, as upstream measures Polkadot's; a write is
# amortised over a batch of 1,000 keys, fewer than a full block writes.
# PMR_BENCH_NODE=path skips the build and uses that node binary.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
node="${PMR_BENCH_NODE:-$(pmr_production_node)}"
base="${1:-}"
chain="${2:-dev}"
if [ -z "$base" ]; then
	scratch="$(mktemp -d -t pmr-db-weights-XXXXXX)"
	trap 'rm -rf "$scratch"' EXIT
	PMR_TEST_DIR="$scratch" PMR_NODE_BIN="$node" scripts/load.sh >&2
	base="$scratch/node-load"
fi

header="$CARGO_TARGET_DIR/db-weights-header.txt"
pmr_weights_header scripts/benchmark-db-weights.sh "$node" >"$header"

"$node" benchmark storage \
	--chain "$chain" --base-path "$base" \
	--state-version 1 \
	--batch-size 1000 \
	--mul 1.1 \
	--header "$header" \
	--template-path scripts/db-weight-template.hbs \
	--weight-path runtime/src/weights/paritydb_weights.rs
