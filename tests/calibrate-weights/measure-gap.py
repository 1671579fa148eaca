#!/usr/bin/env python3
"""measure-gap.py WORLD... - how far the survey figures are from synth's population truth,
with design weights and with calibrated weights (run by measure-gap.sh).

Each WORLD is a folder with synth's truth.csv and tabulate's table/1 of its calibrated
stream twice: design.csv (design weights) and calibrated.csv (tabulate --calibrated). Every
weighted cell with a population truth counts: the absolute gap of its estimate to the truth,
and whether its 95% interval covers the truth. Prints per table and overall; writes every
cell to gap-cells.csv and every interval that misses the truth to misses.csv (world, table,
benefit, period, population, row, weights, n, estimate, interval, truth, z), and prints the
misses grouped by figure (table, benefit, period, population, row over the worlds: how
many missed, the mean z). z = (estimate - truth) / se, se = the interval's half-width /
qnorm(0.975), as tabulate makes it: a figure whose z keeps one sign over the worlds is
biased, one whose z scatters around 0 with mean z^2 near 1 has an honest interval."""
import csv
import os
import sys

Z975 = 1.959963984540054   # qnorm(0.975), tabulate's


def cells(path):
    rows = [r for r in csv.reader(open(path, newline="")) if r and not r[0].startswith("#schema")]
    out = {}
    for r in rows[1:]:
        d = dict(zip(rows[0], r))
        if d["weighted"] == "1" and d["estimate"] != "":
            out[(d["table"], d["benefit"], d["period"], d["population"], d["row"])] = d
    return out


def zscore(est, lo, hi, truth):
    se = (hi - lo) / (2 * Z975)
    return (est - truth) / se if se > 0 else float("inf") if est != truth else 0.0


def read_worlds(worlds):
    out = []
    for wd in worlds:
        truth = {}
        for r in csv.DictReader(open(os.path.join(wd, "truth.csv"), newline="")):
            if r["scope"] == "population" and r["estimate"] not in ("", "nan", "NA"):
                truth[(r["table"], r["benefit"], r["period"], r["population"], r["row"])] = float(r["estimate"])
        des, cal = cells(os.path.join(wd, "design.csv")), cells(os.path.join(wd, "calibrated.csv"))
        for k, d in des.items():
            if k not in truth or k not in cal:
                continue
            row = dict(world=os.path.basename(wd.rstrip("/")), table=k[0], benefit=k[1], period=k[2],
                       population=k[3], row=k[4], measure=d["measure"], truth=truth[k])
            for name, c in (("design", d), ("calibrated", cal[k])):
                e, lo, hi = float(c["estimate"]), float(c["ci_low"]), float(c["ci_high"])
                row.update({name: e, name + "_lo": lo, name + "_hi": hi, name + "_n": int(c["n"]),
                            name + "_z": zscore(e, lo, hi, truth[k])})
            out.append(row)
    return out


def covers(r, name):
    return r[name + "_lo"] <= r["truth"] <= r[name + "_hi"]


def summ(rs, label):
    if not rs:
        return
    n = len(rs)
    gd = sum(abs(r["design"] - r["truth"]) for r in rs) / n
    gc = sum(abs(r["calibrated"] - r["truth"]) for r in rs) / n
    cd = 100 * sum(covers(r, "design") for r in rs) / n
    cc = 100 * sum(covers(r, "calibrated") for r in rs) / n
    print("%-26s %5d %10.4f %10.4f %9.1f%% %9.1f%%" % (label, n, gd, gc, cd, cc))


def write_misses(all_rows, path):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["world", "table", "benefit", "period", "population", "row", "weights", "n", "estimate",
                    "ci_low", "ci_high", "truth", "z"])
        for r in all_rows:
            for name in ("design", "calibrated"):
                if not covers(r, name):
                    w.writerow([r["world"], r["table"], r["benefit"], r["period"], r["population"], r["row"], name,
                                r[name + "_n"], "%.4f" % r[name], "%.4f" % r[name + "_lo"], "%.4f" % r[name + "_hi"],
                                "%.4f" % r["truth"], "%.2f" % r[name + "_z"]])


def print_groups(all_rows):
    """The figures (a cell over the worlds) with a miss, most misses first: misses and mean z
    with each weighting."""
    figs = {}
    for r in all_rows:
        figs.setdefault((r["table"], r["benefit"], r["period"], r["population"], r["row"]), []).append(r)
    hit = [(k, rs) for k, rs in figs.items() if any(not covers(r, n) for r in rs for n in ("design", "calibrated"))]
    hit.sort(key=lambda kv: (-sum((not covers(r, "design")) + (not covers(r, "calibrated")) for r in kv[1]), kv[0]))
    print("\nfigures with a miss (misses of %d worlds, mean z; design | calibrated):" % len(figs[next(iter(figs))]))
    for k, rs in hit:
        part = []
        for name in ("design", "calibrated"):
            m = sum(not covers(r, name) for r in rs)
            part.append("%d miss%s, z %+.2f" % (m, "" if m == 1 else "es", sum(r[name + "_z"] for r in rs) / len(rs)))
        print("  %-16s %-4s %-4s %-14s %-28s %s | %s" % (k + tuple(part)))
    for name in ("design", "calibrated"):
        z2 = sum(r[name + "_z"] ** 2 for r in all_rows) / len(all_rows)
        print("mean z^2, %s: %.2f over %d cells (1 for an unbiased estimate with an honest interval)"
              % (name, z2, len(all_rows)))


def main(worlds):
    all_rows = read_worlds(worlds)
    with open("gap-cells.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(all_rows[0]))
        w.writeheader()
        w.writerows(all_rows)
    write_misses(all_rows, "misses.csv")
    print("worlds: %s" % " ".join(os.path.basename(w.rstrip("/")) for w in worlds))
    print("%-26s %5s %10s %10s %10s %10s" % ("cells", "n", "gap design", "gap calib", "cover des", "cover cal"))
    for t in sorted({r["table"] for r in all_rows}):
        summ([r for r in all_rows if r["table"] == t], t)
    main_tables = {"coverage", "fig1", "fig4", "fig3", "fig6", "hours"}
    summ([r for r in all_rows if r["table"] in main_tables and r["measure"] == "share"], "main shares")
    summ([r for r in all_rows if r["measure"] == "share"], "all shares")
    summ([r for r in all_rows if r["measure"] == "mean"], "all means")
    summ(all_rows, "all survey figures")
    summ([r for r in all_rows if r["table"] != "obligation"], "all but obligation")
    print_groups(all_rows)


if __name__ == "__main__":
    main(sys.argv[1:])
