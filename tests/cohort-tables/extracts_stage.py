#!/usr/bin/env python3
"""extracts_stage.py LAG DIR... - cohort-tables run on later and later extracts of one synth
history (DIR/tables.csv, the stage's cohort_table/1 in plain text, made with --min-n 0;
DIR/truth-cohorts.csv, synth's truth of that extract; DIR's peildatum in DIR/peildatum as
yyyy-mm-dd). LAG: the --decision-lag the tables were made with ('off' for none). TAP.

- At each extract, every figure the truth states (applicants, 3/6/12-month counts and
  shares, handover shares) has the truth's status and, when known, its number.
- At each step, the figures that become known are exactly those whose known_from falls
  between the two extract dates (after the earlier, on or before the later), and nothing
  known before becomes unknown: one line per step, naming how many.
- A figure once known never changes - number, n, known_from - in any later extract (the
  Kaplan-Meier S(m) rows and the median too, once known). With a decision lag that holds
  for every figure: nothing is known before the membership is final. Without one, the
  applicants count and the curve's first months (shorter than synth's decision delay of up
  to 56 days) of the latest cohorts may still grow while late decisions come in: those
  revisions are counted and required to happen; the 3/6/12-month figures and the handover
  never change either way."""
import csv
import sys
from datetime import date

sys.path.insert(0, sys.path[0] + "/../synth")
from rawfiles import ok  # noqa: E402

lag, dirs = sys.argv[1], sys.argv[2:]


def table(d):
    t = {}
    for r in csv.DictReader(l for l in open(d + "/tables.csv") if not l.startswith("#")):
        t[(r["cohort_kind"], r["cohort"], r["benefit"], r["population"], r["row"], r["measure"])] = r
    return t


def truth(d):
    t = {}
    for r in csv.DictReader(open(d + "/truth-cohorts.csv")):
        if r["status"] != "synth_only" and r["measure"] != "share_person_rule":
            t[(r["cohort_kind"], r["cohort"], r["benefit"], r["population"], r["row"], r["measure"])] = r
    return t


series = [(date.fromisoformat(open(d + "/peildatum").read().strip()), table(d), truth(d)) for d in dirs]
bad_truth = []
for p, out, tru in series:
    for key, t in tru.items():
        r = out.get(key)
        if key[4] == "applicants" and lag != "off":
            continue    # the truth knows no decision lag: checked below
        if r is None or r["status"] != t["status"] or r["known_from"] != t["known_from"]:
            bad_truth.append((p, key, t["status"], r and r["status"]))
        elif t["status"] == "known" and (r["n"] != t["n"] or abs(float(r["estimate"]) - float(t["estimate"])) > 1e-9):
            bad_truth.append((p, key, t["estimate"], r["estimate"]))
ok(not bad_truth, "at each of %d extracts every figure has the truth's status, known_from and number" % len(series),
   bad_truth[:3])

seen, changed, revised = {}, [], 0
prev = None
for p, out, _ in series:
    known = {k for k, r in out.items() if r["status"] == "known"}
    for k in known:
        v = (out[k]["estimate"], out[k]["n"], out[k]["known_from"])
        if k in seen and seen[k] != v:
            if lag == "off" and (k[4] == "applicants" or k[4] in ("on_benefit_1m", "on_benefit_2m") and k[5] == "surv"):
                revised += 1
            else:
                changed.append((p, k, seen[k], v))
        seen[k] = v
    if prev is not None:
        pp, pknown = prev
        new = {k for k in known - pknown if k[5] != "median"}
        due = {k for k, r in out.items() if r["known_from"] and pp < date.fromisoformat(r["known_from"]) <= p
               and r["measure"] != "median" and not (k[4] == "applicants" and lag == "off")}
        lost = pknown - known
        ok(new == due and not lost, "%s: %d figures become known, those with known_from in %s..%s; none is lost"
           % (p, len(new), pp, p), (sorted(new ^ due)[:3], sorted(lost)[:3]))
    prev = (p, known)
ok(not changed, "%d figures, once known, never change in a later extract" % len(seen), changed[:3])
if lag == "off":
    ok(revised > 0, "without a decision lag the applicants and S(1), S(2) of the latest cohorts grow with late "
       "decisions: %d revisions" % revised)
last_p, last, _ = series[-1]
ok(not [k for k, r in last.items() if r["status"] == "not_yet_known" and r["measure"] != "median"],
   "on %s every figure of every cohort is known" % last_p)
