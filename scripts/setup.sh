#!/usr/bin/env bash
# Installs what building PMR Chain needs, on Debian/Ubuntu. Idempotent; works offline as long
# as Debian's apt mirror is reachable.
#
#  1. native build dependencies (clang, libclang, protoc, lld), Node.js, and Chromium (the web
#     app's browser test drives it headless) from apt;
#  2. the Rust toolchain pinned in rust-toolchain.toml (must already be installed offline);
#  3. cargo-nextest (pinned, from crates.io) into $PMR_CACHE/tools when it is missing, and
#     Kubo, the private IPFS node of dev and tests (scripts/build-kubo.sh, once);
#  4. a toolchain that can build the WASM runtime:
#     a. the normal way: `rustup target add wasm32v1-none` + `rustup component add rust-src`;
#     b. if rustup cannot download them (no network to rustup's servers): Debian's rustc-web
#        (1.96) linked as the rustup toolchain `debian-web`, with core/alloc for
#        wasm32v1-none built once (with embedded bitcode, because the runtime is LTO-linked)
#        and installed into its sysroot. The choice is recorded in
#        $PMR_CACHE/wasm-toolchain.env (WASM_BUILD_TOOLCHAIN=debian-web), which
#        scripts/env.sh loads. See docs/build.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

log() { printf '[setup] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
	local missing=()
	for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "apt-get install ${missing[*]}"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

# 1. native dependencies
apt_install clang libclang-dev protobuf-compiler lld-22 curl
# Node.js and npm: the @polkadot/api client of the end-to-end network tests.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then apt_install nodejs npm; fi
# Chromium: the web app's story runs in it headless (playwright-core cannot download a browser).
[ -x /usr/bin/chromium ] || apt_install chromium

# 2. the pinned toolchain
TOOLCHAIN=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup toolchain list | grep -q "^$TOOLCHAIN"; then
	log "installing Rust $TOOLCHAIN"
	rustup toolchain install "$TOOLCHAIN" --profile minimal
fi

# 3. cargo-nextest and Kubo
NEXTEST_VERSION=0.9.151
if ! cargo nextest --version >/dev/null 2>&1; then
	log "installing cargo-nextest $NEXTEST_VERSION into $PMR_CACHE/tools (once)"
	cargo install --locked --quiet --root "$PMR_CACHE/tools" cargo-nextest --version "$NEXTEST_VERSION"
fi
./scripts/build-kubo.sh >/dev/null

# 4. the WASM toolchain
wasm_ready_rustup() {
	rustup target list --installed --toolchain "$TOOLCHAIN" 2>/dev/null | grep -qx wasm32v1-none
}

if wasm_ready_rustup; then
	log "wasm32v1-none is installed for $TOOLCHAIN"
	rm -f "$PMR_CACHE/wasm-toolchain.env"
	exit 0
fi
log "trying rustup target add wasm32v1-none / component add rust-src"
if timeout 300 rustup target add wasm32v1-none --toolchain "$TOOLCHAIN" &&
	timeout 300 rustup component add rust-src --toolchain "$TOOLCHAIN"; then
	rm -f "$PMR_CACHE/wasm-toolchain.env"
	log "WASM toolchain: $TOOLCHAIN (rustup)"
	exit 0
fi

log "rustup cannot download the wasm target; falling back to Debian's rustc-web"
FALLBACK=debian-web
SYSROOT=/usr
LIBDIR=$SYSROOT/lib/rustlib/wasm32v1-none/lib
apt_install rustc-web rust-web-src cargo-web lld-22
rustup toolchain list | grep -q "^$FALLBACK" || rustup toolchain link "$FALLBACK" "$SYSROOT"

if ! ls "$LIBDIR"/libcore-*.rlib >/dev/null 2>&1; then
	log "building core/alloc for wasm32v1-none into $LIBDIR (once)"
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	mkdir -p "$work/seed/src"
	printf '[package]\nname = "sysroot-seed"\nversion = "0.0.0"\nedition = "2021"\n[lib]\npath = "src/lib.rs"\n' \
		>"$work/seed/Cargo.toml"
	printf '#![no_std]\n' >"$work/seed/src/lib.rs"
	# Embedded bitcode: the runtime is LTO-linked, and LTO needs it in every sysroot crate.
	(cd "$work/seed" && CARGO_TARGET_DIR="$work/target" RUSTFLAGS="-C embed-bitcode=yes" \
		RUSTC_BOOTSTRAP=1 rustup run "$FALLBACK" cargo build -q --release \
		--target wasm32v1-none -Zbuild-std=core,alloc)
	as_root mkdir -p "$LIBDIR"
	as_root cp "$work"/target/wasm32v1-none/release/deps/lib{core,alloc,compiler_builtins}-*.rlib "$LIBDIR/"
fi
echo "export WASM_BUILD_TOOLCHAIN=$FALLBACK" >"$PMR_CACHE/wasm-toolchain.env"
# A runtime built by another toolchain must not be reused against this sysroot.
rm -rf "$CARGO_TARGET_DIR"/*/wbuild "$CARGO_TARGET_DIR"/*/wbuild-runner
log "WASM toolchain: $FALLBACK (offline fallback); WASM_BUILD_TOOLCHAIN=$FALLBACK"
