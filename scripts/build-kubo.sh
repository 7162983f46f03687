#!/usr/bin/env bash
# Builds Kubo, the production IPFS implementation (github.com/ipfs/kubo), from the Go module
# proxy, once per machine: $PMR_CACHE/kubo/<version>/ipfs. scripts/setup.sh calls it;
# scripts/ipfs-dev-node.sh runs the binary. Prints the binary's path.
#
# `go install github.com/ipfs/kubo/cmd/ipfs@v0.43.1` refuses the module: its go.mod replaces
# go-libp2p with a fork (github.com/lidel/go-libp2p, for quic-go >= 0.62 and
# webtransport-go >= 0.13) that the Go module proxy does not serve. So this builds the
# v0.43.1 module's own source with that replace dropped and go-libp2p raised to v0.52.0, the
# first release that requires those versions itself (docs/build.md). Nothing else changes.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

KUBO_VERSION=v0.43.1
LIBP2P_VERSION=v0.52.0
dest="$PMR_CACHE/kubo/$KUBO_VERSION"
bin="$dest/ipfs"
if [ -x "$bin" ] && "$bin" version >/dev/null 2>&1; then
	echo "$bin"
	exit 0
fi
command -v go >/dev/null || { echo "[kubo] Go is needed to build Kubo (apt-get install golang, or go.dev)" >&2; exit 1; }
echo "[kubo] building Kubo $KUBO_VERSION (go-libp2p $LIBP2P_VERSION) into $dest" >&2
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
src=$(go mod download -json "github.com/ipfs/kubo@$KUBO_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
[ -d "$src" ] || { echo "[kubo] the Go module proxy did not give github.com/ipfs/kubo@$KUBO_VERSION" >&2; exit 1; }
cp -r "$src/." "$work/"
chmod -R u+w "$work"
(
	cd "$work"
	go mod edit -dropreplace github.com/libp2p/go-libp2p
	GOFLAGS=-mod=mod go get "github.com/libp2p/go-libp2p@$LIBP2P_VERSION" >&2 2>/dev/null
	mkdir -p "$dest"
	GOFLAGS=-mod=mod go build -trimpath -o "$bin.tmp" ./cmd/ipfs >&2
)
mv "$bin.tmp" "$bin"
echo "[kubo] $("$bin" version)" >&2
echo "$bin"
