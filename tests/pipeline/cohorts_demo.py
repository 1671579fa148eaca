#!/usr/bin/env python3
"""cohorts_demo.py REPORT MONITOR RANGE - the promise of issue 21 on one world: the registry
monitor's cohort RANGE (pipelines/cohorts/run --combine 2006-03:2006-04, in MONITOR) is the
report pipeline's study population (pipelines/eerste-jaar/run, in REPORT). Prints TAP lines.

- Table level: the report's registry figures - persons per benefit (counts/persons), on
  benefit after 3, 6 and 12 months (counts/persons of those populations), the WW handover
  categories (handover: share, interval, n) - equal the monitor's range figures: counts
  exactly, shares to the last bit, intervals to 1e-12. Where the monitor's censoring rule
  says a figure is not yet known (the extract before the last member's 12-month mark), it
  publishes no number while the report counts the people observed so far; that count must
  then be the monitor's own person rows' count (below), and the line says so.
- Person level: for each person of the study, the monitor's first row in the range (its
  persons.rec.gz, cohort_support/1) has the report's values (persons.rec.gz, person_support/1) in
  every registry column: the index application, its spell, UWV's handover rows, the
  derived statuses and the handover category. The same people, one for one."""
import csv
import gzip
import io
import sys

sys.path.insert(0, sys.path[0] + "/../synth")
from rawfiles import ok  # noqa: E402

report, monitor, rng = sys.argv[1:4]
first, last = rng.split(":")


def sections(path):
    text = gzip.open(path, "rt").read()
    out, name, lines = {}, None, []
    for line in text.split("\n"):
        if line.startswith("#schema "):
            if name:
                out[name] = lines
            name, lines = line[8:], []
        elif line:
            lines.append(line)
    out[name] = lines
    return {k: list(csv.DictReader(io.StringIO("\n".join(v)))) for k, v in out.items()}


def table(path):
    return list(csv.DictReader(l for l in open(path) if not l.startswith("#")))


rep = {(r["table"], r["benefit"], r["population"], r["row"], r["measure"]): r for r in table(report + "/tables.csv")}
mon = {(r["benefit"], r["row"], r["measure"]): r for r in table(monitor + "/tables.csv")
       if r["cohort_kind"] == "range" and r["cohort"] == rng}

people = sections(monitor + "/persons.rec.gz")["cohort_support/1"]
firsts = {}
for p in people:            # person_key order, then cohort order: the first row in the range
    if first <= p["cohort"] <= last and p["person_key"] not in firsts:
        firsts[p["person_key"]] = p

bad, censored = [], []
for ben in ("ww", "wwb"):
    r, m = rep[("counts", ben, "all", "persons", "count")], mon[(ben, "applicants", "count")]
    if (m["status"], m["estimate"]) != ("known", r["estimate"]):
        bad.append((ben, "persons", r["estimate"], m["status"], m["estimate"]))
    for k in (3, 6, 12):
        r = rep[("counts", ben, "on_benefit_%dm" % k, "persons", "count")]
        m = mon[(ben, "on_benefit_%dm" % k, "count")]
        if m["status"] == "known":
            if m["estimate"] != r["estimate"]:
                bad.append((ben, k, r["estimate"], m["estimate"]))
        else:
            observed = sum(1 for p in firsts.values() if p["benefit"] == ben and p["on_benefit_%dm" % k] == "1")
            censored.append("%s %d months: report %s, not yet known (from %s)" % (ben, k, r["estimate"], m["known_from"]))
            if m["status"] != "not_yet_known" or m["estimate"] != "" or observed != int(r["estimate"]):
                bad.append((ben, k, "censored", r["estimate"], m["status"], m["estimate"], observed))
for cat in ("none", "cwi_only", "uwv_only", "both"):
    r, m = rep[("handover", "ww", "on_benefit_6m", cat, "share")], mon[("ww", cat, "share")]
    if m["status"] != "known" or m["estimate"] != r["estimate"] or m["n"] != r["n"] or \
            abs(float(m["ci_low"]) - float(r["ci_low"])) > 1e-12 or abs(float(m["ci_high"]) - float(r["ci_high"])) > 1e-12:
        bad.append((cat, r["estimate"], r["n"], m["status"], m["estimate"], m["n"]))
ok(not bad, "the range %s is the report's study population: persons, on benefit after 3/6/12 months, handover "
   "(share, interval, n)%s" % (rng, "; " + "; ".join(censored) if censored else ""), bad[:4])

study = {p["person_key"]: p for p in sections(report + "/persons.rec.gz")["person_support/1"]}
cols = ["n_applications", "n_refused_before", "application_line", "birth_date", "sex", "origin", "education",
        "application_date", "benefit", "phase", "decision_date", "cwi_handover_date", "office", "spell_start",
        "spell_end", "spell_end_reason", "extract_date", "uwv_rows", "uwv_received_date", "uwv_phase", "age",
        "age_class", "migrant", "large_distance", "days_on_benefit", "spell_running", "on_benefit_3m",
        "on_benefit_6m", "on_benefit_12m", "handover_known_cwi", "handover_known_uwv", "handover_category"]
diff = [(k, c, study[k][c], firsts[k][c]) for k in study if k in firsts for c in cols if study[k][c] != firsts[k][c]]
ok(len(study) > 1000 and set(study) == set(firsts) and not diff,
   "person for person: the %d people of the study are the range's, with the same values in %d registry columns"
   % (len(study), len(cols)), (len(set(study) ^ set(firsts)), diff[:3]))
