#!/usr/bin/env bash
# A private, loopback-only IPFS node for development and tests that serves the Kubo HTTP RPC
# API (what pmr-vault talks to) on 127.0.0.1:${PMR_IPFS_PORT:-5001}.
#
# Kubo binaries cannot be downloaded on an offline build machine, so this installs js-ipfs
# 0.66.1 from the npm registry, which implements the same RPC API. Its open-ended dependency
# ranges now resolve to releases that break it, so a few are pinned (see package.json below),
# and one line of its add handler is patched to return `Size` as a string, as Kubo does.
# Production nodes run Kubo with a private swarm key instead (docs/vault.md).
#
# Several nodes can run side by side (the consortium network test runs one per hospital):
#   PMR_IPFS_PORT   the RPC API port (default 5001); swarm port = PORT - 997, gateway = PORT + 3079
#   PMR_IPFS_REPO   the node's repository (default: $PMR_CACHE/ipfs/repo, or repo-$PORT for
#                   another port); its pid and log files sit next to it
#   PMR_IPFS_SWARM  1: listen on the loopback swarm port and accept `swarm connect`, so nodes
#                   fetch each other's blocks (still no bootstrap peers and no discovery: a node
#                   connects only to the peers it is told). Default: --offline, no swarm at all.
#
#   usage: scripts/ipfs-dev-node.sh [install|start|stop|status]   (default: install + start)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

HOME_DIR="$PMR_CACHE/ipfs"
PORT="${PMR_IPFS_PORT:-5001}"
if [ "$PORT" = 5001 ]; then default_repo="$HOME_DIR/repo"; else default_repo="$HOME_DIR/repo-$PORT"; fi
export IPFS_PATH="${PMR_IPFS_REPO:-$default_repo}"
API="http://127.0.0.1:$PORT"
BIN="$HOME_DIR/node_modules/.bin/jsipfs"
PIDFILE="$IPFS_PATH.pid"
LOGFILE="$IPFS_PATH.log"

log() { printf '[ipfs] %s\n' "$*"; }

up() { curl -sf -X POST "$API/api/v0/version" >/dev/null 2>&1; }

install() {
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
		log "installing nodejs and npm"
		if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -q nodejs npm; \
		else sudo apt-get update -qq && sudo apt-get install -y -q nodejs npm; fi
	fi
	mkdir -p "$HOME_DIR"
	# @libp2p/peer-record is pinned to the last release built on multiaddr 11, the version the
	# rest of js-ipfs 0.66 uses: with a newer one, identify fails between two nodes (two
	# multiaddr classes) and bitswap never learns its peers. `headless` (deep in js-ipfs's
	# optional electron-webrtc) is asked for as a GitHub tarball, which an offline machine
	# cannot fetch: npm retries it for many minutes on an empty cache; the registry's release
	# resolves at once (the optional WebRTC transports are never used here).
	local manifest='{
  "name": "pmr-chain-dev-ipfs",
  "private": true,
  "dependencies": { "ipfs": "0.66.1" },
  "overrides": {
    "mortice": "3.0.6",
    "@libp2p/tcp": "6.1.2",
    "@libp2p/websockets": "5.0.5",
    "@libp2p/bootstrap": "6.0.0",
    "@libp2p/peer-record": "5.0.2",
    "@multiformats/mafmt@^11": "11.1.1",
    "headless": "1.2.0"
  }
}'
	if [ ! -x "$BIN" ] || [ "$(cat "$HOME_DIR/package.json" 2>/dev/null)" != "$manifest" ]; then
		log "installing js-ipfs 0.66.1 into $HOME_DIR"
		printf '%s\n' "$manifest" >"$HOME_DIR/package.json"
		(cd "$HOME_DIR" && npm install --no-audit --no-fund --loglevel=error)
	fi
	local handler="$HOME_DIR/node_modules/ipfs-http-server/src/api/resources/files-regular.js"
	if ! grep -q 'Size: String(file.size),' "$handler"; then
		sed -i 's/^\( *\)Size: file\.size,$/\1Size: String(file.size),/' "$handler"
		grep -q 'Size: String(file.size),' "$handler" || { log "could not patch $handler"; exit 1; }
	fi
	mkdir -p "$(dirname "$IPFS_PATH")"
	if [ ! -f "$IPFS_PATH/config" ]; then
		"$BIN" init >/dev/null
		# loopback only; no bootstrap peers, no discovery: the node never dials out. (Done
		# once, on the new repo: with a daemon running, `jsipfs config` would go through it.)
		"$BIN" config Addresses.API "/ip4/127.0.0.1/tcp/$PORT"
		"$BIN" config Addresses.Gateway "/ip4/127.0.0.1/tcp/$((PORT + 3079))"
		"$BIN" config --json Addresses.RPC '""'
		"$BIN" config --json Addresses.Swarm "[\"/ip4/127.0.0.1/tcp/$((PORT - 997))\"]"
		"$BIN" config --json Addresses.Delegates '[]'
		"$BIN" config --json Bootstrap '[]'
		"$BIN" config --json Discovery.MDNS.Enabled false
		"$BIN" config --json Discovery.webRTCStar.Enabled false
	fi
}

start() {
	if up; then log "already running at $API"; return 0; fi
	# A node that was killed leaves its lock (a directory in js-ipfs) and API file behind.
	rm -rf "$IPFS_PATH/repo.lock" "$IPFS_PATH/api"
	local mode=(--offline)
	[ "${PMR_IPFS_SWARM:-0}" = 1 ] && mode=()
	nohup "$BIN" daemon "${mode[@]}" --enable-preload=false >"$LOGFILE" 2>&1 &
	echo $! >"$PIDFILE"
	for _ in $(seq 1 240); do
		if up; then log "ready at $API (pid $(cat "$PIDFILE"))"; return 0; fi
		kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break
		sleep 0.25
	done
	log "daemon failed to start:"; cat "$LOGFILE" >&2; stop; return 1
}

stop() {
	[ -f "$PIDFILE" ] || return 0
	local pid; pid=$(cat "$PIDFILE")
	kill "$pid" 2>/dev/null || true
	for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$PIDFILE"
}

case "${1:-all}" in
	install) install ;;
	start) start ;;
	stop) stop ;;
	status) if up; then log "up at $API"; else log "down"; exit 1; fi ;;
	all) install && start ;;
	*) echo "usage: $0 [install|start|stop|status]" >&2; exit 2 ;;
esac
