#!/usr/bin/env bash
# The measured load run of docs/performance.md: starts a `--dev` node on 127.0.0.1 and drives
# it with node/tests/consortium/load.mjs (@polkadot/api): record creations against transfers,
# consent grants, access checks, block capacity, storage per record, node memory, and the
# transaction pool's refusals and stranded transactions. Bounded in count and time.
#   usage: scripts/load.sh [load.mjs options] [-- extra pmr-node args, e.g. --pool-type fork-aware]
# The node is the production-profile build of scripts/benchmark-weights.sh (built here if
# PMR_NODE_BIN does not name another binary).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
PMR_NODE_BIN="${PMR_NODE_BIN:-$(pmr_production_node)}"
export PMR_NODE_BIN
cd node/tests/consortium
npm ci --no-audit --no-fund --loglevel=error
exec node load.mjs "$@"
