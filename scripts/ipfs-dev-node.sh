#!/usr/bin/env bash
# A private, loopback-only Kubo node for development and tests: the Kubo RPC API (what
# pmr-vault talks to) on 127.0.0.1:${PMR_IPFS_PORT:-5001}. Kubo is built once by
# scripts/build-kubo.sh (from scripts/setup.sh).
#
# Private means a swarm key: every dev and test node shares $PMR_CACHE/ipfs/swarm.key
# (generated once per machine) and runs with LIBP2P_FORCE_PNET=1, so a node without that key
# can neither connect nor fetch a block. There are no bootstrap peers, no AutoConf, no mDNS, no
# relays, no NAT traversal, no telemetry and no content routing: a node talks only to the
# peers it is told to (`swarm connect`). The API and the gateway listen on 127.0.0.1 only;
# the gateway serves local blocks only (Gateway.NoFetch). docs/operations.md says how a
# consortium sets up its hospitals' Kubo nodes.
#
# Several nodes can run side by side (the consortium network test runs one per hospital):
#   PMR_IPFS_PORT          the RPC API port (default 5001)
#   PMR_IPFS_SWARM_PORT    the swarm (TCP) port (default: PMR_IPFS_PORT - 997)
#   PMR_IPFS_GATEWAY_PORT  the gateway port (default: PMR_IPFS_PORT + 3079)
#   PMR_IPFS_REPO          the node's repository (default: $PMR_CACHE/ipfs/repo, or repo-$PORT
#                          for another port); its pid and log files sit next to it
#   PMR_IPFS_SWARM         1: listen on the swarm port and accept `swarm connect`, so nodes
#                          fetch each other's blocks. Default: --offline, no swarm at all.
#   PMR_IPFS_SWARM_KEY     the swarm key file (default: $PMR_CACHE/ipfs/swarm.key)
#
#   usage: scripts/ipfs-dev-node.sh [install|start|stop|status]   (default: install + start)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

HOME_DIR="$PMR_CACHE/ipfs"
PORT="${PMR_IPFS_PORT:-5001}"
SWARM_PORT="${PMR_IPFS_SWARM_PORT:-$((PORT - 997))}"
GATEWAY_PORT="${PMR_IPFS_GATEWAY_PORT:-$((PORT + 3079))}"
if [ "$PORT" = 5001 ]; then default_repo="$HOME_DIR/repo"; else default_repo="$HOME_DIR/repo-$PORT"; fi
export IPFS_PATH="${PMR_IPFS_REPO:-$default_repo}"
SWARM_KEY="${PMR_IPFS_SWARM_KEY:-$HOME_DIR/swarm.key}"
API="http://127.0.0.1:$PORT"
PIDFILE="$IPFS_PATH.pid"
LOGFILE="$IPFS_PATH.log"
# Refuse to start without a swarm key; never report to anyone.
export LIBP2P_FORCE_PNET=1 IPFS_TELEMETRY=off

log() { printf '[ipfs] %s\n' "$*"; }

up() { curl -sf -X POST "$API/api/v0/id" >/dev/null 2>&1; }

kubo() { "$BIN" "$@"; }

install() {
	BIN=$(./scripts/build-kubo.sh)
	mkdir -p "$HOME_DIR"
	if [ ! -s "$SWARM_KEY" ]; then
		log "generating the dev network's swarm key $SWARM_KEY"
		(umask 077 && printf '/key/swarm/psk/1.0.0/\n/base16/\n%s\n' \
			"$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" >"$SWARM_KEY")
	fi
	mkdir -p "$(dirname "$IPFS_PATH")"
	if [ ! -f "$IPFS_PATH/config" ]; then
		# The test profile: loopback addresses, no bootstrap peers, no AutoConf, no mDNS.
		kubo init --profile=test >/dev/null
		local off
		for off in QUIC WebTransport WebRTCDirect Websocket Relay; do
			kubo config --json "Swarm.Transports.Network.$off" false
		done
		kubo config --json Swarm.RelayClient.Enabled false
		kubo config --json Swarm.RelayService.Enabled false
		kubo config --json Swarm.EnableHolePunching false
		kubo config --json Swarm.DisableNatPortMap true
		kubo config AutoNAT.ServiceMode disabled
		kubo config --json HTTPRetrieval.Enabled false
		kubo config --json Internal.NonPublicAddrPublishing true
		# No content routing: blocks come from the peers a node is connected to (bitswap).
		kubo config Routing.Type none
		kubo config --json Provide.Enabled false
		kubo config --json Gateway.NoFetch true
		kubo config --json Gateway.ExposeRoutingAPI false
		kubo config --json Plugins.Plugins '{"telemetry":{"Disabled":true}}'
	fi
	cp "$SWARM_KEY" "$IPFS_PATH/swarm.key"
	chmod 600 "$IPFS_PATH/swarm.key"
	# The ports may differ from one start to the next (tests pick free ones).
	kubo config Addresses.API "/ip4/127.0.0.1/tcp/$PORT"
	kubo config Addresses.Gateway "/ip4/127.0.0.1/tcp/$GATEWAY_PORT"
	kubo config --json Addresses.Swarm "[\"/ip4/127.0.0.1/tcp/$SWARM_PORT\"]"
}

start() {
	if up; then log "already running at $API"; return 0; fi
	BIN=${BIN:-$(./scripts/build-kubo.sh)}
	# A node that was killed leaves its lock and API file behind.
	rm -f "$IPFS_PATH/repo.lock" "$IPFS_PATH/api"
	local mode=(--offline)
	[ "${PMR_IPFS_SWARM:-0}" = 1 ] && mode=()
	nohup "$BIN" daemon "${mode[@]}" >"$LOGFILE" 2>&1 &
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
