#!/usr/bin/env bash
# The web app's tests (app/): the vault's test vectors in the TypeScript port (vitest), the
# type check and production build, the DICOM viewer under the development server
# (app/e2e/dev-viewer.mjs), then the whole story in headless Chromium against a real dev chain,
# its custodian node and a private Kubo node (app/e2e/story.mjs; it writes its screenshots to
# docs/app/). Needs the pmr-node the chain workspace built, Kubo
# (scripts/build-kubo.sh), Debian's chromium and the DICOM samples (scripts/fetch-test-data.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
cd app
npm ci --no-audit --no-fund --loglevel=error
npx vitest run
npm run build --silent
# The DICOM viewer under the development server that scripts/dev.sh serves.
PMR_DICOM_SAMPLES="${PMR_DICOM_SAMPLES:-$PMR_CACHE/test-data/dicom}" node e2e/dev-viewer.mjs
PMR_NODE_BIN="${PMR_NODE_BIN:-$CARGO_TARGET_DIR/debug/pmr-node}" \
	PMR_DICOM_SAMPLES="${PMR_DICOM_SAMPLES:-$PMR_CACHE/test-data/dicom}" \
	node e2e/story.mjs
