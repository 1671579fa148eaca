#!/usr/bin/env python3
"""pipeline_window.py TRUTH KIND COHORT SUPPORT - today's pipeline with link-waves' window set
to one cohort's window (ingest R1-R3 | link-waves --window-start/--window-end | derive-status
| classify-support, plain text person_support/1 in SUPPORT) against that cohort's rows of
synth's truth-cohorts.csv: the cohort rule is the study's rule applied to the window, so
the persons, their 3/6/12-month counts (of the known figures) and the handover shares by
the study's person rule (classify-support's handover_category) must be the same. TAP."""
import csv
import io
import sys

from rawfiles import ok

truth_path, kind, cohort, support = sys.argv[1:5]
lines = [l for l in open(support).read().split("\n") if l and not l.startswith("#schema")]
people = list(csv.DictReader(io.StringIO("\n".join(lines))))
truth = {}
for r in csv.DictReader(open(truth_path)):
    if r["cohort_kind"] == kind and r["cohort"] == cohort:
        truth[(r["benefit"], r["population"], r["row"], r["measure"])] = r
bad, checked = [], 0
for ben in ("ww", "wwb"):
    mine = [p for p in people if p["benefit"] == ben]
    want = truth[(ben, "all", "applicants", "count")]
    checked += 1
    if int(want["estimate"]) != len(mine):
        bad.append((ben, "applicants", want["estimate"], len(mine)))
    for k in (3, 6, 12):
        t = truth[(ben, "all", "on_benefit_%dm" % k, "count")]
        if t["status"] != "known":
            continue
        on = sum(1 for p in mine if p["on_benefit_%dm" % k] == "1")
        n = sum(1 for p in mine if p["on_benefit_%dm" % k] in ("0", "1"))
        checked += 1
        if (on, n) != (int(t["estimate"]), int(t["n"])):
            bad.append((ben, k, (t["estimate"], t["n"]), (on, n)))
    if ben == "ww" and truth[(ben, "all", "on_benefit_6m", "count")]["status"] == "known":
        six = [p for p in mine if p["on_benefit_6m"] == "1"]
        for cat in ("none", "cwi_only", "uwv_only", "both"):
            t = truth[(ben, "on_benefit_6m", cat, "share_person_rule")]
            got = sum(1 for p in six if p["handover_category"] == cat) / len(six)
            checked += 1
            if abs(got - float(t["estimate"])) > 1e-9 or int(t["n"]) != len(six):
                bad.append((cat, t["estimate"], got))
ok(checked >= 2 and not bad, "%s %s: the pipeline with its window gives truth-cohorts' %d figures" % (kind, cohort, checked), bad)
