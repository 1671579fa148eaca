#!/usr/bin/env python3
"""stage_r.py EXPECTED TABLE - cohort-tables' Kaplan-Meier rows (cohort_table/1, plain text,
made with --min-n 1 so nothing is withheld) against R's survival::survfit on the same
members (make-expected.R --synth on km_data.py's reading of the raw files; conf.type log,
95 %). Prints TAP lines.

For every group of EXPECTED (cohort/benefit, calendar month time) and month m = 1..18:
summary(fit, times = m)'s surv, std.err (Greenwood's standard error of S), lower, upper
and n.risk equal the row's estimate, se, ci_low, ci_high and n to 1e-10; a month summary
leaves out (after the last observed time) is a row without a number. quantile(fit, 0.5)'s
median and its interval equal the median row's; a median the curve has not reached (NA) is
a row without a number, its interval's lower end too (the stage publishes no half median).""" 
import csv
import math
import sys

sys.path.insert(0, sys.path[0] + "/../synth")
from rawfiles import ok  # noqa: E402

TOL = 1e-10


def num(s):
    return float("nan") if s in ("", "NA", "NaN") else float(s)


def same(a, b):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= TOL * max(1.0, abs(b))


want = {}
for r in csv.DictReader(open(sys.argv[1])):
    if not r["case"].endswith("/months") or r["conf"] != "log" or float(r["level"]) != 0.95:
        continue
    group = r["case"][:-len("/months")]
    x = num(r["x"])
    if r["kind"] in ("at", "beyond") and x == int(x) and 1 <= x <= 18:
        want[(group, "on_benefit_%dm" % int(x))] = r
    if r["kind"] == "quantile" and x == 0.5:
        want[(group, "median")] = r

lines = [l for l in open(sys.argv[2]).read().split("\n") if l and not l.startswith("#")]
got = {}
for r in csv.DictReader(lines):
    if r["table"] == "km" and r["cohort_kind"] == "month":
        got[(r["cohort"] + "/" + r["benefit"], r["row"])] = r

bad, checked = [], 0
for key, w in sorted(want.items()):
    g = got.get(key)
    if g is None:
        bad.append((key, "no row"))
        continue
    checked += 1
    if w["kind"] == "beyond" or (w["kind"] == "quantile" and w["est"] in ("", "NA")):
        if g["estimate"] != "" and g["status"] != "known" or g["ci_low"] != "":
            bad.append((key, "a reading after the last observed time", g["estimate"]))
        continue
    pairs = [(num(g["estimate"]), num(w["est"])), (num(g["ci_low"]), num(w["lower"])),
             (num(g["ci_high"]), num(w["upper"]))]
    if w["kind"] == "at":
        pairs += [(num(g["se"]), num(w["se"])), (num(g["n"]), num(w["n_risk"]))]
    if not all(same(a, b) for a, b in pairs):
        bad.append((key, pairs))
groups = {k[0] for k in want}
ok(len(groups) >= 4 and checked == len(want) and not bad,
   "S(1..18) (surv, Greenwood se, log interval, n at risk) and the median of %d groups: %d readings "
   "equal survfit's to 1e-10" % (len(groups), checked), bad[:3])
