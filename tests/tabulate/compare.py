#!/usr/bin/env python3
"""compare.py EXPECTED.csv ACTUAL.csv [TOL] - check tabulate's table/1 cells against expected
values (e.g. R's), one TAP line per table: every expected cell is there with the same n and
estimate, ci_low, ci_high within TOL (default 1e-6; both empty counts as equal), and the
actual output has no cell the expectation lacks. Keys: table, benefit, period, population,
row, measure, weighted."""
import csv
import math
import sys

KEY = ("table", "benefit", "period", "population", "row", "measure", "weighted")


def load(path):
    with open(path, encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#schema")]
    rows = {}
    for r in csv.DictReader(lines):
        k = tuple(r[c] for c in KEY)
        if k in rows:
            sys.exit("compare: %s: key %s twice" % (path, k))
        rows[k] = r
    return rows


def num(s):
    return float(s) if s not in ("", "NA") else None


want, got = load(sys.argv[1]), load(sys.argv[2])
tol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-6
problems = {}
for k, w in want.items():
    p = problems.setdefault(k[0], [])
    g = got.get(k)
    if g is None:
        p.append("missing cell %s" % (k,))
        continue
    if int(float(w["n"])) != int(g["n"]):
        p.append("%s: n %s, wanted %s" % (k, g["n"], w["n"]))
    for c in ("estimate", "ci_low", "ci_high"):
        a, b = num(w[c]), num(g[c])
        if (a is None) != (b is None) or (a is not None and not math.isclose(a, b, rel_tol=0, abs_tol=tol)):
            p.append("%s: %s %s, wanted %s" % (k, c, g[c], w[c]))
for k in got:
    if k not in want and k[0] in problems:
        problems[k[0]].append("unexpected cell %s" % (k,))
for t, p in problems.items():
    n = sum(1 for k in want if k[0] == t)
    if p:
        print("not ok - %s: %d cells agree with the expected values within %g" % (t, n, tol))
        for line in p[:10]:
            print("#   " + line)
    else:
        print("ok - %s: %d cells agree with the expected values within %g" % (t, n, tol))
