#!/usr/bin/env python3
"""The z column of compare-runs' change/1 output, worked out again from the two runs'
tables by the formula of the issue (two-sample z on the standard errors the 95 % intervals
imply: se = (ci_high - ci_low) / (2 * qnorm(0.975))), written from the spec, not the C code.

usage: zcheck.py OLD.csv NEW.csv CHANGES.csv  - prints TAP lines."""
import csv, math, sys
from statistics import NormalDist

q = NormalDist().inv_cdf(0.975)
key = lambda r: tuple(r[k] for k in ("table", "benefit", "period", "population", "row", "measure"))

def rows(path):
    with open(path) as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))

old = {key(r): r for r in rows(sys.argv[1])}
new = {key(r): r for r in rows(sys.argv[2])}
checked = 0
for c in rows(sys.argv[3]):
    if c["verdict"] not in ("within", "beyond"):
        if c["z"] != "":
            print("not ok - %s: z given for a %s cell" % ("/".join(key(c)), c["verdict"]))
        continue
    o, n = old[key(c)], new[key(c)]
    se = lambda r: (float(r["ci_high"]) - float(r["ci_low"])) / (2 * q)
    z = (float(n["estimate"]) - float(o["estimate"])) / math.hypot(se(o), se(n))
    good = abs(z - float(c["z"])) < 1e-9 * max(1, abs(z))
    print("%s - z of %s: %.12g (compare-runs %s)" % ("ok" if good else "not ok", "/".join(key(c)[::4]), z, c["z"]))
    checked += 1
print("ok - %d z values checked" % checked if checked else "not ok - no z value checked")
