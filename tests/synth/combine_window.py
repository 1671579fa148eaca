#!/usr/bin/env python3
"""combine_window.py DIR - the promise of doc/cohorts.md on a world of the study's window
(synth without --span): the March and April 2006 month cohorts, combined by taking each
person once in the first month they are in, are exactly the study population of truth.csv
(counts on benefit after 3/6/12 months, handover shares by both rules); adding the two
months' counts instead over-counts by exactly the persons in both months, and there are
such persons. Month cohorts from the raw files (recompute_cohorts.py's reading of
DOMAIN.md), truth.csv from synth. Prints TAP lines."""
import csv
import sys

from rawfiles import add_months, dmy, ok
from recompute_cohorts import index_spell, load, members, status

d = sys.argv[1]
r1, spells, uwv, peil = load(d)
month = {}
for (kind, coh, bsn), a in members(r1).items():
    if kind == "month" and coh in ("2006-03", "2006-04"):
        month.setdefault(bsn, {})[coh] = a
both = sum(1 for m in month.values() if len(m) == 2)
combined = {bsn: m[min(m)] for bsn, m in month.items()}      # the first month a person is in

acc = {}
for bsn, a in combined.items():
    app, ben = dmy(a["aanvraagdatum"]), a["uitkering"].lower()
    s = index_spell(spells, bsn, a["uitkering"], app)
    on = {k: status(s, peil, add_months(app, k)) for k in (3, 6, 12)}
    for pop, inpop in (("all", True), ("on_benefit_3m", on[3] == 1), ("on_benefit_6m", on[6] == 1),
                       ("on_benefit_12m", on[12] == 1)):
        if inpop:
            acc[("counts", ben, pop, "persons")] = acc.get(("counts", ben, pop, "persons"), 0) + 1
    if ben == "ww" and on[6] == 1:
        mark6, cwi, rec = add_months(app, 6), dmy(a["overdracht_datum"]), uwv.get(bsn, [])
        for rule, kc, ku in (("claim", cwi is not None and cwi <= mark6, any(app <= u <= mark6 for u in rec)),
                             ("person", cwi is not None, len(rec) > 0)):
            cat = ["none", "uwv_only", "cwi_only", "both"][2 * kc + ku]
            acc[("handover", rule, cat)] = acc.get(("handover", rule, cat), 0) + 1

truth = {}
for r in csv.DictReader(open(d + "/truth.csv")):
    if r["scope"] == "population" and r["table"] in ("counts", "handover"):
        truth[(r["table"], r["benefit"], r["population"], r["row"])] = float(r["estimate"])
bad = []
for ben in ("ww", "wwb"):
    for pop in ("all", "on_benefit_3m", "on_benefit_6m", "on_benefit_12m"):
        if acc.get(("counts", ben, pop, "persons"), 0) != truth[("counts", ben, pop, "persons")]:
            bad.append((ben, pop, acc.get(("counts", ben, pop, "persons")), truth[("counts", ben, pop, "persons")]))
ok(not bad, "March + April 2006 cohorts, each person once: the study's persons per benefit and population", bad)
for rule in ("claim", "person"):
    n = sum(v for k, v in acc.items() if k[:2] == ("handover", rule))
    bad = [(c, acc.get(("handover", rule, c), 0) / n, truth[("handover", "ww", "on_benefit_6m", c)])
           for c in ("none", "cwi_only", "uwv_only", "both")
           if abs(acc.get(("handover", rule, c), 0) / n - truth[("handover", "ww", "on_benefit_6m", c)]) > 1e-9]
    ok(not bad, "combined cohorts: the study's handover shares (%s rule)" % rule, bad)

tc = {}
for r in csv.DictReader(open(d + "/truth-cohorts.csv")):
    if r["cohort_kind"] == "month" and r["row"] == "applicants":
        tc[(r["cohort"], r["benefit"])] = int(r["estimate"])
naive = sum(tc.get((c, b), 0) for c in ("2006-03", "2006-04") for b in ("ww", "wwb"))
study = sum(truth[("counts", b, "all", "persons")] for b in ("ww", "wwb"))
ok(both > 0 and naive == study + both,
   "adding truth-cohorts' March and April applicants over-counts the study (%d) by the %d persons in both months"
   % (study, both), "naive %d" % naive)
