#!/usr/bin/env bash
# Fetches real DICOM sample files for pmr-vault's tests from a package registry (PyPI):
# pydicom 2.4.4's wheel ships small public test images: CT_small.dcm and MR_small.dcm for the
# vault, and the compressed studies the web app's browser story previews (RLE, JPEG-LS,
# JPEG 2000, JPEG extended, colour JPEG baseline, a two-frame colour RLE study).
# They are not committed; they land in $PMR_CACHE/test-data/dicom (PMR_DICOM_SAMPLES).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
dest="$PMR_CACHE/test-data/dicom"
want=(CT_small.dcm MR_small.dcm MR_small_RLE.dcm MR_small_jpeg_ls_lossless.dcm MR_small_jp2klossless.dcm
	JPGExtended.dcm SC_rgb_jpeg_dcmtk.dcm SC_rgb_rle_2frame.dcm)
have=1
for f in "${want[@]}"; do [ -s "$dest/$f" ] || have=0; done
[ "$have" = 1 ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --no-deps --quiet --dest "$tmp" pydicom==2.4.4
mkdir -p "$dest"
python3 - "$tmp" "$dest" "${want[@]}" <<'PY'
import glob, sys, zipfile
src, dest, names = sys.argv[1], sys.argv[2], sys.argv[3:]
wheel = zipfile.ZipFile(glob.glob(f"{src}/pydicom-*.whl")[0])
for name in names:
    with open(f"{dest}/{name}", "wb") as out:
        out.write(wheel.read(f"pydicom/data/test_files/{name}"))
PY
echo "[test-data] DICOM samples in $dest"
