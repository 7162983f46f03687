#!/usr/bin/env bash
# Sets up, builds and starts a single-node PMR Chain development chain, its private IPFS node
# (Kubo RPC API on 127.0.0.1:5001, for the vault) and the web app (http://127.0.0.1:5173),
# which sends records to the node's binary upload (127.0.0.1:9955).
# The node is also the dev chain's custodian node (threshold 1 of 1); the dev cast (City
# Hospital, its doctors, lab and custodian: app/src/cast.json) is registered on start.
# Polkadot.js Apps (or any JSON-RPC client) connects to ws://127.0.0.1:9944.
# Extra arguments go to pmr-node, e.g. `scripts/dev.sh --base-path /tmp/pmr` to keep state.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
. scripts/env.sh
cargo build --locked -p pmr-node --features "$PMR_FEATURES"
(cd app && npm ci --no-audit --no-fund --loglevel=error)
./scripts/ipfs-dev-node.sh
pids=()
trap './scripts/ipfs-dev-node.sh stop; kill "${pids[@]}" 2>/dev/null || true' EXIT
NODE="$CARGO_TARGET_DIR/debug/pmr-node"
# The custodian node's X25519 key: made once, kept with the dev cache.
key="$PMR_CACHE/dev/custodian.key"
mkdir -p "$(dirname "$key")"
[ -s "$key" ] || "$NODE" x25519-key generate --out "$key" >/dev/null
custodian_public=$("$NODE" x25519-key public --secret "$key")
custodian_account=$(cd app && node -e "import('@polkadot/util-crypto').then(async (u) => { await u.cryptoWaitReady(); const { Keyring } = await import('@polkadot/keyring'); console.log(new Keyring({ type: 'sr25519' }).addFromUri('//PmrCustodian').address); })")
"$NODE" --dev --rpc-port 9944 --rpc-cors all \
	--pmr-custodian-key-file "$key" --pmr-custodian-account "$custodian_account" \
	--pmr-upload-addr 127.0.0.1:9955 "$@" &
pids+=($!)
until curl -sf -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"chain_getHeader","params":[]}' http://127.0.0.1:9944 | grep -q '"number":"0x[1-9a-f]'; do sleep 1; done
(cd app && node scripts/dev-cast.mjs ws://127.0.0.1:9944 "$custodian_public")
(cd app && npx vite --host 127.0.0.1 --port 5173) &
pids+=($!)
echo "PMR Chain is up: the app at http://127.0.0.1:5173/?upload=http://127.0.0.1:9955 (turn on 'Use development accounts' for the cast),"
echo "Polkadot.js Apps at https://polkadot.js.org/apps/?rpc=ws://127.0.0.1:9944"
wait "${pids[0]}"
