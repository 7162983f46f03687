#!/usr/bin/env bash
# Sets up, builds and starts a single-node PMR Chain development chain and its private IPFS
# node (Kubo RPC API on 127.0.0.1:5001, for the vault).
# Polkadot.js Apps (or any JSON-RPC client) connects to ws://127.0.0.1:9944.
# Extra arguments go to pmr-node, e.g. `scripts/dev.sh --base-path /tmp/pmr` to keep state.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
. scripts/env.sh
cargo build --locked -p pmr-node --features "$PMR_FEATURES"
./scripts/ipfs-dev-node.sh
trap './scripts/ipfs-dev-node.sh stop' EXIT
echo "Starting pmr-node --dev: open https://polkadot.js.org/apps/?rpc=ws://127.0.0.1:9944"
"$CARGO_TARGET_DIR/debug/pmr-node" --dev --rpc-port 9944 --rpc-cors all "$@"
