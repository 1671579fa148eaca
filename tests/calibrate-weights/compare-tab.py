#!/usr/bin/env python3
"""compare-tab.py OUT EXPECTED DESIGN TOL - tabulate's survey cells against R's svymean.

OUT: tabulate's table/1 (plain text). EXPECTED: make-expected.R's r-*-estimates.csv
(design,table,benefit,period,population,row,measure,n,estimate,se,...). DESIGN: none (a
domain of the whole design-weighted sample) or the calibration method (a domain of the
calibrated design of the cell's respondent set). Prints one TAP line per table: every R
cell is there, weighted, with R's n, its estimate within TOL (relative) of R's and its
standard error (the interval's half width / qnorm(0.975)) too; and, calibrated, the method
names the weight column."""
import csv
import sys

Z = 1.959963984540054
rows = [r for r in csv.reader(open(sys.argv[1], newline="")) if r and not r[0].startswith("#schema")]
if not rows:
    print("not ok - %s: no table/1 output" % sys.argv[1])
    sys.exit(0)
hdr, got = rows[0], {}
for r in rows[1:]:
    d = dict(zip(hdr, r))
    if d["weighted"] == "1":
        got[(d["table"], d["benefit"], d["period"], d["population"], d["row"])] = d
design, tol = sys.argv[3], float(sys.argv[4])
want = {}
for r in csv.DictReader(open(sys.argv[2], newline="")):
    if r["design"] == design:
        want.setdefault(r["table"], []).append(r)
if not want:
    print("not ok - %s: no R values for design %s" % (sys.argv[2], design))


def rel(a, b):
    return abs(a - b) / abs(b) if b != 0 else abs(a - b)


for table, cells in sorted(want.items()):
    bad, worst, compared = [], 0.0, 0
    for w in cells:
        k = (w["table"], w["benefit"], w["period"], w["population"], w["row"])
        g = got.get(k)
        if g is None:
            bad.append("no weighted cell %s" % " ".join(k))
            continue
        if int(g["n"]) != int(w["n"]):
            bad.append("%s: n %s, R %s" % (" ".join(k), g["n"], w["n"]))
        if design != "none" and "; weight calibrated_weight_" not in g["method"]:
            bad.append("%s: the method does not name the weight: %r" % (" ".join(k), g["method"]))
        if w["estimate"] == "":
            bad += [] if g["estimate"] == "" else ["%s: R has no estimate" % " ".join(k)]
            continue
        est, se = float(g["estimate"]), (float(g["ci_high"]) - float(g["ci_low"])) / (2 * Z)
        for name, a, b in (("estimate", est, float(w["estimate"])), ("se", se, float(w["se"]))):
            e = rel(a, b)
            worst = max(worst, e)
            if not e <= tol:
                bad.append("%s %s: %r, R %r" % (" ".join(k), name, a, b))
        compared += 1
    print("%s - %s (%s): %d cells, estimate and standard error as R's svymean (worst %.1e)"
          % ("not ok" if bad else "ok", table, design, compared, worst))
    for b in bad[:6]:
        print("#   " + b)
