#!/usr/bin/env python3
"""Prints, for every failed test in the given nextest JUnit reports, its name and the last
lines of its output (the assertion or panic that failed it).

    usage: failure-digest.py REPORT.xml...

scripts/test.sh calls it below its time table, so that the cause of a failure is in the last
screen of a CI log, not thousands of lines above it."""
import sys
import xml.etree.ElementTree as ET

TAIL = 25

for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        continue
    for case in root.iter("testcase"):
        failed = [e for e in case if e.tag in ("failure", "error", "flakyFailure", "rerunFailure")]
        if not failed or not any(e.tag in ("failure", "error") for e in failed):
            continue
        print(f"--- failed: {case.get('classname')} {case.get('name')}")
        text = "\n".join((case.findtext(t) or "") for t in ("system-out", "system-err"))
        lines = [l for l in text.splitlines() if l.strip()]
        if not lines:
            lines = [(failed[0].get("message") or "") + " " + (failed[0].text or "")]
        for line in lines[-TAIL:]:
            print(f"    {line[:300]}")
