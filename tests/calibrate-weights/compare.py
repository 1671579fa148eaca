#!/usr/bin/env python3
"""compare.py OUT EXPECTED METHOD TOL - calibrate-weights' weights against R's.

OUT: the stage's output (person_calibrated/1, gzip or plain). EXPECTED: make-expected.R's
weights (method,person_key,<one column per set>; person_key cut to its first 12 hex
digits, or the people file's KEY of a made-up population: tests/classify-support/mkstatus.py
key_label). Prints one TAP line per weight column: the same people have a weight on both
sides, and every weight is within TOL (relative) of R's."""
import csv
import gzip
import io
import os
import re
import sys

sys.path.insert(0, os.path.join(os.environ.get("KETEN_ROOT", os.path.join(os.path.dirname(__file__), "..", "..")),
                                "tests", "classify-support"))
from mkstatus import key_label  # noqa: E402


def r_key(k):
    """R's key (12 hex digits of our person_key, or the people file's KEY) as ours below."""
    return key_label(k.ljust(32, "0"))[:12] if re.fullmatch(r"[0-9a-f]{1,32}", k) else k[:12]


def text(path):
    raw = open(path, "rb").read()
    return (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8")


out, expected, method, tol = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
lines = io.StringIO(text(out), newline="")
schema = lines.readline().strip()
want = [dict(r, person_key=r_key(r["person_key"]))
        for r in csv.DictReader(io.StringIO(text(expected), newline="")) if r["method"] == method]
cols = [c for c in (want[0] if want else {}) if c not in ("method", "person_key")]
rows = csv.reader(lines)
header = next(rows)
at = [header.index(c) for c in ["person_key"] + cols]
ours = {r_key(key_label(r[at[0]])[:12]): dict(zip(cols, (r[i] for i in at[1:]))) for r in rows}
if schema != "#schema person_calibrated/1" or not want:
    print("not ok - %s: %s is not a person_calibrated/1 stream, or R has no %s weights" % (method, out, method))
    sys.exit(0)
for col in cols:
    bad, worst, n = [], 0.0, 0
    r_keys = {r["person_key"] for r in want if r[col] != ""}
    our_keys = {k for k, r in ours.items() if r[col] != ""}
    if r_keys != our_keys:
        bad.append("%d people weighted only by R, %d only by calibrate-weights"
                   % (len(r_keys - our_keys), len(our_keys - r_keys)))
    for r in want:
        if r[col] == "" or r["person_key"] not in ours or ours[r["person_key"]][col] == "":
            continue
        a, b = float(ours[r["person_key"]][col]), float(r[col])
        rel = abs(a - b) / abs(b)
        worst = max(worst, rel)
        n += 1
        if rel > tol and len(bad) < 5:
            bad.append("%s: %r, R %r" % (r["person_key"], a, b))
    if bad or n == 0:
        print("not ok - %s %s: weights differ from R's" % (method, col))
        for b in bad or ["no weights compared"]:
            print("#   " + b)
    else:
        print("ok - %s %s: %d weights equal R's within %g (largest relative difference %.2g)"
              % (method, col, n, tol, worst))
