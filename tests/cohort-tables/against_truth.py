#!/usr/bin/env python3
"""against_truth.py TRUTH READINGS - the Kaplan-Meier curves of a synth world's month cohorts
(km_test --readings on km_data.py's file) held against synth's truth-cohorts.csv. Prints TAP.

- Where a 3/6/12-month figure is known (the extract passed the last member's mark), nobody
  is censored before the mark, so S(k) must be the known share on benefit exactly (1e-12):
  the month-time scale and the censoring rule say the same thing.
- Where it is not yet known, the curve may still reach k (a cohort whose members' marks
  straddle the extract date) and gives an estimate. Over all readings, its 95 % interval must hold
  the true share (synth_only) about 95 % of the time over all cohorts and months 1-18 (at
  least 90 % here: the readings of one curve are not independent, and the true share is the
  cohort's own, which the interval covers more often than the model's)."""
import csv
import sys

from_here = sys.path[0] + "/../synth"
sys.path.insert(0, from_here)
from rawfiles import ok  # noqa: E402

truth, true_share = {}, {}
for r in csv.DictReader(open(sys.argv[1])):
    if r["cohort_kind"] != "month":
        continue
    g = r["cohort"] + "/" + r["benefit"]
    if r["population"] == "all" and r["measure"] == "count" and r["row"] != "applicants":
        truth[(g, int(r["row"][11:-1]))] = r      # count / n: the share, unrounded
    if r["measure"] == "true_share":
        true_share[(g, int(r["row"][11:-1]))] = float(r["estimate"])
exact, bad, covered, readings, open_figures = 0, [], 0, 0, 0
for r in csv.DictReader(open(sys.argv[2])):
    if r["k"] == "median" or r["surv"] == "":
        continue
    key, s = (r["group"], int(r["k"])), float(r["surv"])
    t = truth.get(key)
    if t is not None and t["status"] == "known":
        exact += 1
        if abs(s - int(t["estimate"]) / int(t["n"])) > 1e-12:
            bad.append((key, s, t["estimate"], t["n"]))
    elif t is not None:
        open_figures += 1
    readings += 1
    lo, hi = float(r["lower"]), float(r["upper"]) if r["upper"] else 1.0
    covered += lo <= true_share[key] <= hi
ok(exact > 20 and not bad, "S(k) equals the known 3/6/12-month share in all %d cohort readings" % exact, bad[:3])
# (a month cohort whose members' k-month marks straddle the extract date: a curve that reaches
# k while the fixed figure waits for the last member)
ok(open_figures >= 2, "%d 3/6/12-month readings of S where the fixed figure is not yet known" % open_figures)
ok(readings > 200 and covered >= 0.9 * readings,
   "the 95 %% interval holds the true share in %d of %d readings (%.1f %%)" % (covered, readings, 100.0 * covered / max(readings, 1)))
