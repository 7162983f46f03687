#!/usr/bin/env bash
# Builds the relay chain binaries the parachain network test needs (zombienet/tests/parachain.rs):
# `polkadot`, `polkadot-prepare-worker` and `polkadot-execute-worker`, from the `polkadot` crate
# of the same Polkadot SDK release as the node's Cumulus crates (stable2609), once, into
# $PMR_CACHE/polkadot/bin (their build cache stays in $PMR_CACHE/polkadot/target). It takes
# long on a small machine (a release build with two relay chain runtimes, native and WASM).
# Prints the directory; scripts/test.sh passes it to the test as PMR_POLKADOT_BIN_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

version="${PMR_POLKADOT_VERSION:-41.0.0}"
root="$PMR_CACHE/polkadot"
bins=(polkadot polkadot-prepare-worker polkadot-execute-worker)
have() { for b in "${bins[@]}"; do [ -x "$root/bin/$b" ] || return 1; done; }

if ! have; then
	echo "[build-polkadot] building polkadot $version into $root (this takes a while)" >&2
	CARGO_TARGET_DIR="$root/target" cargo install --locked --root "$root" \
		--version "$version" polkadot >&2
fi
have
echo "$root/bin"
