#!/usr/bin/env python3
"""measure-gap.py WORLD... - how far the survey figures are from synth's population truth,
with design weights and with calibrated weights (run by measure-gap.sh).

Each WORLD is a folder with synth's truth.csv and tabulate's table/1 of its calibrated
stream twice: design.csv (design weights) and calibrated.csv (tabulate --calibrated). Every
weighted cell with a population truth counts: the absolute gap of its estimate to the truth,
and whether its 95% interval covers the truth. Prints per table and overall, and writes
every cell to gap-cells.csv."""
import csv
import os
import sys


def cells(path):
    rows = [r for r in csv.reader(open(path, newline="")) if r and not r[0].startswith("#schema")]
    out = {}
    for r in rows[1:]:
        d = dict(zip(rows[0], r))
        if d["weighted"] == "1" and d["estimate"] != "":
            out[(d["table"], d["benefit"], d["period"], d["population"], d["row"])] = d
    return out


all_rows = []
for wd in sys.argv[1:]:
    truth = {}
    for r in csv.DictReader(open(os.path.join(wd, "truth.csv"), newline="")):
        if r["scope"] == "population" and r["estimate"] not in ("", "nan", "NA"):
            truth[(r["table"], r["benefit"], r["period"], r["population"], r["row"])] = float(r["estimate"])
    des, cal = cells(os.path.join(wd, "design.csv")), cells(os.path.join(wd, "calibrated.csv"))
    for k, d in des.items():
        if k not in truth or k not in cal:
            continue
        c, t = cal[k], truth[k]
        all_rows.append(dict(world=os.path.basename(wd.rstrip("/")), table=k[0], benefit=k[1], period=k[2],
                             population=k[3], row=k[4], measure=d["measure"], truth=t,
                             design=float(d["estimate"]), design_lo=float(d["ci_low"]), design_hi=float(d["ci_high"]),
                             calibrated=float(c["estimate"]), calibrated_lo=float(c["ci_low"]),
                             calibrated_hi=float(c["ci_high"])))
with open("gap-cells.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(all_rows[0]))
    w.writeheader()
    w.writerows(all_rows)


def summ(rs, label):
    if not rs:
        return
    n = len(rs)
    gd = sum(abs(r["design"] - r["truth"]) for r in rs) / n
    gc = sum(abs(r["calibrated"] - r["truth"]) for r in rs) / n
    cd = 100 * sum(r["design_lo"] <= r["truth"] <= r["design_hi"] for r in rs) / n
    cc = 100 * sum(r["calibrated_lo"] <= r["truth"] <= r["calibrated_hi"] for r in rs) / n
    print("%-26s %5d %10.4f %10.4f %9.1f%% %9.1f%%" % (label, n, gd, gc, cd, cc))


print("worlds: %s" % " ".join(os.path.basename(w.rstrip("/")) for w in sys.argv[1:]))
print("%-26s %5s %10s %10s %10s %10s" % ("cells", "n", "gap design", "gap calib", "cover des", "cover cal"))
for t in sorted({r["table"] for r in all_rows}):
    summ([r for r in all_rows if r["table"] == t], t)
main = {"coverage", "fig1", "fig4", "fig3", "fig6", "hours"}
summ([r for r in all_rows if r["table"] in main and r["measure"] == "share"], "main shares")
summ([r for r in all_rows if r["measure"] == "share"], "all shares")
summ([r for r in all_rows if r["measure"] == "mean"], "all means")
summ(all_rows, "all survey figures")
summ([r for r in all_rows if r["table"] != "obligation"], "all but obligation")
