#!/usr/bin/env bash
# Sets up and runs the whole PMR Chain test suite:
#  1. the chain workspace: unit tests of every crate (pallets with their benchmarks as tests),
#     the ingest worker's tests against the local IPFS node, and the end-to-end tests that run
#     the real pmr-node binary on the 1-second-block test chains `dev-fast` and `local-fast`
#     (docs/build.md): the dev chain, the care flow, ingest with kill -9 and restart, key
#     release, validator governance, the node allowlist and the 3-hospital consortium;
#  2. the web app (app/): the vault's test vectors in its TypeScript port, its build, and the
#     whole story (desk, doctor, lab, patient, second opinion, expiry, audit) in headless
#     Chromium against a dev chain (scripts/test-app.sh);
#  3. the runtime with try-runtime (every pallet's try_state on the real runtime);
#  4. the parachain build (scripts/test-parachain.sh: what differs in that build), when its
#     cache is warm;
#  5. the zombienet networks (their own workspace): a 4-validator standalone network spawned
#     with zombienet-sdk from that pmr-node, a signed transaction, and kill/restart/partition
#     fault tests; a relay chain with PMR Chain collators when the binaries are there;
#  6. the vault library (its own workspace): unit tests, real DICOM files, property tests,
#     and integration tests against the local private IPFS node this script starts.
# One cargo invocation per workspace at a time, with one profile and the shared
# CARGO_TARGET_DIR (scripts/env.sh), so CI reuses a developer's build. Each stage's wall time
# is printed in one table at the end (the time budget: docs/build.md).
set -euo pipefail
cd "$(dirname "$0")/.."
suite_start=$(date +%s)
STAGES=()
status=0

# Runs one stage: `stage NAME command...`; records its wall time and whether it passed.
stage() {
	local name=$1 t0 rc=0
	shift
	echo "[test] $name"
	t0=$(date +%s)
	"$@" || rc=$?
	local secs=$(($(date +%s) - t0))
	if [ "$rc" = 0 ]; then STAGES+=("$name|$secs|ok"); else STAGES+=("$name|$secs|FAILED"); status=1; fi
	return 0
}

summary() {
	local total=$(($(date +%s) - suite_start))
	echo
	echo "[test] time budget (CI stops a run at 90 min)"
	printf '  %-58s %9s  %s\n' stage 'wall time' result
	local row name secs result
	for row in "${STAGES[@]}"; do
		IFS='|' read -r name secs result <<<"$row"
		printf '  %-58s %4dm %02ds  %s\n' "$name" $((secs / 60)) $((secs % 60)) "$result"
	done
	printf '  %-58s %4dm %02ds  status %s\n' 'whole suite' $((total / 60)) $((total % 60)) "$status"
	if [ "$status" != 0 ]; then
		echo
		echo "[test] the end of each failed test's output"
		python3 scripts/failure-digest.py "$reports"/*.xml || true
	fi
}

stage "setup (apt, toolchains, cargo-nextest, Kubo)" ./scripts/setup.sh
. scripts/env.sh
stage "test data and the private IPFS node" \
	bash -c './scripts/fetch-test-data.sh && ./scripts/ipfs-dev-node.sh'
trap './scripts/ipfs-dev-node.sh stop >/dev/null 2>&1 || true' EXIT

if ! cargo nextest --version >/dev/null 2>&1; then
	echo "[test] cargo-nextest is missing (scripts/setup.sh installs it)" >&2
	exit 1
fi
# `nextest run --no-run` builds exactly what the following run executes, so build and test
# times show apart.
build() { cargo nextest run --locked --no-run "$@"; }
# `run [VAR=value...] nextest-args...`: runs tests and keeps the run's JUnit report, whose
# failures the summary prints last (scripts/failure-digest.py).
reports=$(mktemp -d)
runs=0
run() {
	local envs=() rc=0
	while [[ ${1:-} == [A-Z]*=* ]]; do envs+=("$1"); shift; done
	env "${envs[@]}" cargo nextest run --locked --no-fail-fast --failure-output final "$@" || rc=$?
	runs=$((runs + 1))
	cp -f "$CARGO_TARGET_DIR/nextest/default/junit.xml" "$reports/$runs.xml" 2>/dev/null || true
	return $rc
}

chain=(--workspace --features "$PMR_FEATURES")
stage "chain workspace: build" build "${chain[@]}"
stage "chain workspace: tests (unit, end-to-end networks)" run "${chain[@]}"
# The web app in headless Chromium, against the pmr-node just built.
stage "web app: vectors, build, the story in Chromium" ./scripts/test-app.sh
# Native only: the runtime's tests need no WASM blob, and a try-runtime blob would be a
# second WASM build.
try_runtime=(-p pmr-runtime --features try-runtime,runtime-benchmarks)
stage "runtime with try-runtime: build" env SKIP_WASM_BUILD=1 cargo nextest run --locked --no-run "${try_runtime[@]}"
stage "runtime with try-runtime: tests" run SKIP_WASM_BUILD=1 "${try_runtime[@]}"

# The parachain build is heavier (Cumulus, polkadot-service, RocksDB): CI builds and tests it
# when its cache is warm, i.e. an earlier scripts/test-parachain.sh left a pmr-node in its
# target dir, or when PMR_PARACHAIN=1. docs/build.md says what a cold-cache run leaves untested.
case "${PMR_PARACHAIN:-auto}" in
1) parachain=1 ;;
0) parachain=0 ;;
*) [ -x "$CARGO_TARGET_DIR/parachain/pmr-node" ] && parachain=1 || parachain=0 ;;
esac
if [ "$parachain" = 1 ]; then
	rm -f "$CARGO_TARGET_DIR/nextest/default/junit.xml"
	stage "parachain build: build and tests" ./scripts/test-parachain.sh
	cp -f "$CARGO_TARGET_DIR/nextest/default/junit.xml" "$reports/parachain.xml" 2>/dev/null || true
else
	echo "[test] parachain build: SKIPPED (its cache is cold; scripts/test-parachain.sh builds it once, PMR_PARACHAIN=1 forces it)"
	STAGES+=("parachain build|0|SKIPPED (cold cache)")
fi

# The standalone network runs the pmr-node the chain workspace's tests just built (with its
# WASM runtime); the relay chain test runs the parachain build's, with the polkadot binaries of
# scripts/build-polkadot.sh, and says SKIPPED when either is missing.
if [ "$parachain" != 1 ] || [ ! -x "$PMR_CACHE/polkadot/bin/polkadot" ]; then
	echo "[test] zombienet relay chain + PMR Chain collators: SKIPPED (needs the parachain build and scripts/build-polkadot.sh's binaries)"
fi
parachain_node=""
[ "$parachain" = 1 ] && parachain_node="$CARGO_TARGET_DIR/parachain/pmr-node"
zombienet=(--manifest-path zombienet/Cargo.toml)
stage "zombienet: build" build "${zombienet[@]}"
stage "zombienet: networks (4 validators' faults; relay chain + collators)" \
	run PMR_NODE_BIN="$CARGO_TARGET_DIR/debug/pmr-node" \
	PMR_PARACHAIN_NODE_BIN="$parachain_node" \
	PMR_POLKADOT_BIN_DIR="$PMR_CACHE/polkadot/bin" \
	"${zombienet[@]}"

vault=(--manifest-path vault/Cargo.toml)
stage "vault library: build" build "${vault[@]}"
stage "vault library: tests (with the private IPFS node)" run "${vault[@]}"

summary
exit $status
