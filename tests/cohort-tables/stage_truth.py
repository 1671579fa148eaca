#!/usr/bin/env python3
"""stage_truth.py TRUTH TABLE EXTRACT [RULE] - cohort-tables' output (cohort_table/1, plain
text) against synth's truth-cohorts.csv for the same world. Prints TAP lines. Reads only the
two files: every number checked here was made by synth (the truth) or is checked against a
rule of doc/cohorts.md written again below.

- Every figure of the truth (applicants; on benefit after 3/6/12 months, count and share;
  the WW handover shares by RULE: share = the claim rule, share_person_rule = the study's)
  is in the output with the same status and known_from; a known one with the same n and
  the same estimate (counts exactly, shares to 1e-12); a not_yet_known one without any
  number; a suppressed one without any number (and counted: with --min-n 1 there are none).
- No figure is published before its time: a known figure's known_from is on or before
  the EXTRACT date, a not_yet_known one's after it; the extract is past the last member's
  mark, so known_from - 1 day is the mark.
- The Kaplan-Meier rows: where the k-month figure is known (k = 3, 6, 12), S(k) is the known
  share exactly (1e-12) and has status known; S(m) is known exactly when the truth's m-month
  mark has passed (its synth_only row's known_from); its interval holds synth's true share
  (synth_only: what later extracts will show) in at least 90 % of the readings.
- Wilson intervals hold their share, and no interval is given for a count."""
import csv
import sys
from datetime import date

sys.path.insert(0, sys.path[0] + "/../synth")
from rawfiles import ok  # noqa: E402

truth_path, table_path, extract = sys.argv[1], sys.argv[2], date.fromisoformat(sys.argv[3])
rule = sys.argv[4] if len(sys.argv) > 4 else "share"
lines = [l for l in open(table_path).read().split("\n") if l and not l.startswith("#")]
out = {}
for r in csv.DictReader(lines):
    out[(r["cohort_kind"], r["cohort"], r["benefit"], r["population"], r["row"], r["measure"])] = r

kinds = sorted({k[0] for k in out})
missing, bad, n_known, n_open, n_supp = [], [], 0, 0, 0
true_share, known_km, counts = {}, {}, {}
for t in csv.DictReader(open(truth_path)):
    key = (t["cohort_kind"], t["cohort"], t["benefit"], t["population"], t["row"], t["measure"])
    if t["cohort_kind"] not in kinds:
        continue
    if t["measure"] == "true_share":
        true_share[key[:5]] = (float(t["estimate"]), t["known_from"])
        continue
    if t["measure"] in ("share", "share_person_rule") and t["population"] == "on_benefit_6m":
        if t["measure"] != rule:
            continue
        key = key[:5] + ("share",)
    r = out.get(key)
    if r is None:
        missing.append(key)
        continue
    if r["status"] == "suppressed":
        n_supp += 1
        if r["estimate"] or r["n"] or r["ci_low"] or r["ci_high"]:
            bad.append((key, "a suppressed figure with a number"))
        continue
    if r["status"] != t["status"] or r["known_from"] != t["known_from"]:
        bad.append((key, (t["status"], t["known_from"]), (r["status"], r["known_from"])))
        continue
    if t["status"] == "not_yet_known":
        n_open += 1
        if r["estimate"] or r["n"] or r["ci_low"] or r["ci_high"]:
            bad.append((key, "a figure not yet known with a number"))
        continue
    n_known += 1
    if t["estimate"] == "":
        same = r["estimate"] == "" and r["n"] == t["n"]
    elif t["measure"] == "count":
        same = r["estimate"] == t["estimate"] and r["n"] == t["n"] and not r["ci_low"]
        counts[key[:5]] = int(t["estimate"]) / int(t["n"]) if t["n"] != "0" else None
    else:
        # the truth writes 10 digits: a share is held to its count / n where there is one
        e, want = float(r["estimate"]), counts.get(key[:5])
        same = (abs(e - want) <= 1e-15 if want is not None else abs(e - float(t["estimate"])) <= 1e-9) and \
            r["n"] == t["n"] and float(r["ci_low"]) <= e <= float(r["ci_high"])
    if not same:
        bad.append((key, (t["estimate"], t["n"]), (r["estimate"], r["n"])))
    if t["measure"] == "share" and t["population"] == "all":
        known_km[key[:3] + ("index_spell", t["row"])] = counts[key[:5]]
ok(not missing and not bad and n_known > 50 and n_open > 0,
   "%d known and %d not yet known figures of kinds %s as truth-cohorts.csv (%s; %d suppressed)"
   % (n_known, n_open, ",".join(kinds), rule, n_supp), (missing[:3], bad[:3]))

early, late = [], []
for key, r in out.items():
    if r["measure"] == "median" or r["status"] in ("suppressed", "estimate") or key[4] == "applicants":
        continue
    kf = date.fromisoformat(r["known_from"]) if r["known_from"] else None
    if r["status"] == "known" and (kf is None or kf > extract):
        early.append(key)
    if r["status"] == "not_yet_known" and kf is not None and kf <= extract:
        late.append(key)
ok(not early and not late, "no figure is known before its known_from (%s), none waits after it" % extract,
   (early[:3], late[:3]))

exact, wrong, covered, readings, status_bad = 0, [], 0, 0, []
est_covered, est_readings = 0, 0
for key, r in out.items():
    if r["measure"] != "surv" or r["status"] in ("suppressed", "not_yet_known"):
        continue
    share, kf = true_share[key[:5]]
    if (r["status"] == "known") != (date.fromisoformat(kf) <= extract):
        status_bad.append((key, r["status"], kf))
    s = float(r["estimate"])
    if key[:5] in known_km:
        exact += 1
        if abs(s - known_km[key[:5]]) > 1e-12 or r["status"] != "known":
            wrong.append((key, s, known_km[key[:5]]))
    if r["ci_low"] == "":
        continue
    hit = float(r["ci_low"]) <= share <= (float(r["ci_high"]) if r["ci_high"] else 1.0)
    readings += 1
    covered += hit
    if r["status"] == "estimate":
        est_readings += 1
        est_covered += hit
ok(exact > 10 and not wrong, "S(k) is the known k-month share in all %d readings" % exact, wrong[:3])
ok(not status_bad, "S(m) is known exactly from the truth's m-month known_from on", status_bad[:3])
ok(readings > 100 and covered >= 0.9 * readings,
   "the Kaplan-Meier interval holds the true share in %d of %d readings (%.1f %%)"
   % (covered, readings, 100.0 * covered / max(readings, 1)))
ok(est_readings > 20 and est_covered >= 0.85 * est_readings,
   "of them, estimates with members still censored: %d of %d (%.1f %%)"
   % (est_covered, est_readings, 100.0 * est_covered / max(est_readings, 1)))
