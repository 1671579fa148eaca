#!/usr/bin/env python3
"""Writes the hand-made cohort_table/1 stream of tests/cohort-page (stdout): four WW month
cohorts and two WWB ones whose figures were picked by hand to exercise every status the
page must render (pagecheck.py holds the answers):

  WW 2006-01  everything known; S(1..18) = 1 - 0.04 k, interval S -/+ 0.05, n = 100 - 4 k
  WW 2006-02  12-month figure not yet known; handover suppressed (all four); median a
              provisional estimate 9.26 [8, 11]; S(1..10) = 1 - 0.05 k known, S(11) = 0.45
              provisional, S(12..18) not yet known
  WW 2006-03  applicants and the 3-month figure suppressed - the share's row still carries
              0.4242 and n 7, which no page may show; S(1..5) = 0.9 .. 0.5 known, S(6)
              suppressed carrying 0.4343; later readings and every other figure not yet known
  WW 2006-04  applicants 90; S(1), S(2) = 0.97, 0.93 provisional; everything else not yet known
  WWB 2006-01, 2006-02  applicants 50, 60; 3 months 0.9 [0.8, 0.95], 0.85 [0.75, 0.91];
              6 months not yet known; no handover, no curve
"""
M = "contacts=report;uwv_known=claim;min_n=10"
rows = []

def row(table, cohort, benefit, population, r, measure, status, est="", lo="", hi="", se="", n="", known="", kind="month"):
    rows.append([table, kind, cohort, benefit, population, r, measure, status, est, lo, hi, se, n, known, M])

def nyk(table, cohort, benefit, population, r, measure):
    row(table, cohort, benefit, population, r, measure, "not_yet_known")

def fmt(x):
    return "%.10g" % x

def on_benefit(cohort, benefit, figs):
    for k, f in zip((3, 6, 12), figs):
        r = "on_benefit_%dm" % k
        if f is None:
            nyk("on_benefit", cohort, benefit, "all", r, "count")
            nyk("on_benefit", cohort, benefit, "all", r, "share")
        elif f == "x":
            row("on_benefit", cohort, benefit, "all", r, "count", "suppressed")
            row("on_benefit", cohort, benefit, "all", r, "share", "suppressed", "0.4242", "0.1", "0.7", "", "7")
        else:
            share, lo, hi, n = f
            row("on_benefit", cohort, benefit, "all", r, "count", "known", str(round(share * n)), "", "", "", str(n))
            row("on_benefit", cohort, benefit, "all", r, "share", "known", fmt(share), fmt(lo), fmt(hi), "", str(n))

def handover(cohort, figs):
    for cat, f in zip(("none", "cwi_only", "uwv_only", "both"), figs):
        if f is None:
            nyk("handover", cohort, "ww", "on_benefit_6m", cat, "share")
        elif f == "x":
            row("handover", cohort, "ww", "on_benefit_6m", cat, "share", "suppressed")
        else:
            row("handover", cohort, "ww", "on_benefit_6m", cat, "share", "known", fmt(f[0]), fmt(f[1]), fmt(f[2]), "", "60")

def km(cohort, readings, median):
    for k in range(1, 19):
        r = "on_benefit_%dm" % k
        f = readings.get(k)
        if f is None:
            nyk("km", cohort, "ww", "index_spell", r, "surv")
        elif f[0] == "suppressed":
            row("km", cohort, "ww", "index_spell", r, "surv", "suppressed", fmt(f[1]), "0.3", "0.5", "0.05", "8")
        else:
            status, s, n = f
            row("km", cohort, "ww", "index_spell", r, "surv", status, fmt(s), fmt(s - 0.05), fmt(min(s + 0.05, 1)),
                "0.02", str(n))
    if median is None:
        nyk("km", cohort, "ww", "index_spell", "median", "median")
    else:
        status, m, lo, hi, n = median
        row("km", cohort, "ww", "index_spell", "median", "median", status, fmt(m), fmt(lo), fmt(hi), "", str(n))

# WW
row("inflow", "2006-01", "ww", "all", "applicants", "count", "known", "100", "", "", "", "100")
on_benefit("2006-01", "ww", [(0.8, 0.71, 0.87, 100), (0.6, 0.5, 0.69, 100), (0.4, 0.31, 0.5, 100)])
handover("2006-01", [(0.1, 0.05, 0.2), (0.2, 0.12, 0.31), (0.3, 0.2, 0.42), (0.4, 0.28, 0.53)])
km("2006-01", {k: ("known", 1 - 0.04 * k, 100 - 4 * k) for k in range(1, 19)}, ("known", 8.5, 7, 10, 100))

row("inflow", "2006-02", "ww", "all", "applicants", "count", "known", "120", "", "", "", "120")
on_benefit("2006-02", "ww", [(0.75, 0.66, 0.82, 120), (0.55, 0.46, 0.64, 120), None])
handover("2006-02", ["x"] * 4)
r2 = {k: ("known", 1 - 0.05 * k, 120 - 5 * k) for k in range(1, 11)}
r2[11] = ("estimate", 0.45, 30)
km("2006-02", r2, ("estimate", 9.26, 8, 11, 120))

row("inflow", "2006-03", "ww", "all", "applicants", "count", "suppressed")
on_benefit("2006-03", "ww", ["x", None, None])
handover("2006-03", [None] * 4)
r3 = {k: ("known", 1 - 0.1 * k, 9 * (10 - k)) for k in range(1, 6)}
r3[6] = ("suppressed", 0.4343)
km("2006-03", r3, None)

row("inflow", "2006-04", "ww", "all", "applicants", "count", "known", "90", "", "", "", "90")
on_benefit("2006-04", "ww", [None, None, None])
handover("2006-04", [None] * 4)
km("2006-04", {1: ("estimate", 0.97, 88), 2: ("estimate", 0.93, 40)}, None)

# WWB
row("inflow", "2006-01", "wwb", "all", "applicants", "count", "known", "50", "", "", "", "50")
on_benefit("2006-01", "wwb", [(0.9, 0.8, 0.95, 50), None, None])
row("inflow", "2006-02", "wwb", "all", "applicants", "count", "known", "60", "", "", "", "60")
on_benefit("2006-02", "wwb", [(0.85, 0.75, 0.91, 60), None, None])

print("#schema cohort_table/1")
print("table,cohort_kind,cohort,benefit,population,row,measure,status,estimate,ci_low,ci_high,se,n,known_from,method")
for r in rows:
    print(",".join(r))
