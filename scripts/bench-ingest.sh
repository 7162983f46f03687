#!/usr/bin/env bash
# The ingest benchmark of docs/performance.md: builds a realistic multi-frame DICOM study
# (≥ 16 MiB) from the CT test file with pydicom (from PyPI, into the cache), starts the dev IPFS
# node, and runs node/tests/ingest_bench.rs: ingest through `pmr_submitRecord` vs a raw
# `ipfs add` of the same bytes on the same IPFS node, and the node's RSS while ingesting.
#   usage: scripts/bench-ingest.sh [--production] [frames]   (default 520 frames of 128×128×16
#          bit ≈ 16.3 MiB). --production measures the production-profile node of
#          scripts/benchmark-weights.sh (built if missing) instead of the test suite's dev build.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
./scripts/fetch-test-data.sh
if [ "${1:-}" = "--production" ]; then
	shift
	PMR_BENCH_NODE="$(pmr_production_node)"
	export PMR_BENCH_NODE
fi
frames="${1:-520}"
pylib="$PMR_CACHE/pylib"
[ -d "$pylib/pydicom" ] || python3 -m pip install --quiet --target "$pylib" pydicom==2.4.4
study="$PMR_CACHE/bench/study-${frames}f.dcm"
mkdir -p "$(dirname "$study")"
PYTHONPATH="$pylib" python3 - "$PMR_DICOM_SAMPLES/CT_small.dcm" "$study" "$frames" <<'PY'
import sys, pydicom
src, dest, frames = sys.argv[1], sys.argv[2], int(sys.argv[3])
ds = pydicom.dcmread(src)
frame = ds.PixelData
ds.NumberOfFrames = frames
# each frame differs (a frame counter in its first bytes), as a real series does
ds.PixelData = b"".join(i.to_bytes(4, "little") + frame[4:] for i in range(frames))
ds.save_as(dest, write_like_original=False)
print(f"[bench] {dest}: {len(open(dest, 'rb').read()) / 2**20:.1f} MiB, {frames} frames")
PY
./scripts/ipfs-dev-node.sh
# The workspace's own feature set and invocation (as scripts/test.sh), so the test binary is the
# one the test suite already built.
PMR_BENCH_STUDY="$study" cargo nextest run --locked --workspace --features "$PMR_FEATURES" \
	--run-ignored ignored-only --no-capture -E 'package(pmr-node) & binary(ingest_bench)' 2>&1 |
	tee "$PMR_CACHE/bench/ingest.log" | grep '^BENCH'
