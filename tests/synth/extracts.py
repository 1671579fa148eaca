#!/usr/bin/env python3
"""extracts.py DIR1 DIR2 ... - worlds of one seed and span at later and later peildatums
(synth --span ... --peildatum P1 < P2 < ...) are later extracts of one history. Prints TAP.

Raw files, for each pair of consecutive extracts (DOMAIN.md, "Extracts over time"):
- every R2 row of the earlier extract is in the later one;
- every R1 row is there too, or the same application with a decision or a handover date
  that the earlier extract did not have yet;
- every R3 spell is there with the same start; an ended one with the same end and reason,
  a running one running still or ended after the earlier peildatum.
truth-cohorts.csv, along the whole series:
- a figure is known exactly when the peildatum is on or after its known_from;
- a known figure never changes in a later extract, nor does its known_from (with synth's
  decision delays the membership is complete before any 3-month mark) - except the
  handover shares by the study's person rule (share_person_rule: any R2 row of the person,
  so a repeat claim's handover changes an old cohort), whose revisions are counted;
- the number of known figures never falls, and grows over the series."""
import csv
import sys

from rawfiles import ok

dirs = sys.argv[1:]


def raw(d, name):
    ls = open(d + "/" + name, encoding="cp1252", newline="").read().split("\r\n")[1:-1]
    return [l.split(";") for l in ls]


def iso(s):
    return s[6:] + "-" + s[3:5] + "-" + s[:2] if s else ""


def peil(d):
    return iso(raw(d, "uitkeringen.csv")[0][5])


def check_raw(a, b):
    pa, pb = peil(a), peil(b)
    r2a, r2b = raw(a, "uwv_overdracht.csv"), set(map(tuple, raw(b, "uwv_overdracht.csv")))
    miss2 = [r for r in r2a if tuple(r) not in r2b]
    # R1: key = every field but beslissing (8), beslisdatum (9), overdracht_datum (10)
    r1b = {}
    for r in raw(b, "cwi_aanvragen.csv"):
        r1b.setdefault(tuple(r[:8] + r[11:]), []).append(r)
    bad1 = []
    for r in raw(a, "cwi_aanvragen.csv"):
        later = r1b.get(tuple(r[:8] + r[11:]), [])
        fits = [x for x in later if
                ((x[8], x[9]) == (r[8], r[9]) if r[8] else x[8] == "" or iso(x[9]) > pa) and
                (x[10] == r[10] if r[10] else x[10] == "" or iso(x[10]) > pa)]
        if not fits:
            bad1.append(r)
    r3b = {}
    for r in raw(b, "uitkeringen.csv"):
        r3b.setdefault((r[0].zfill(9), r[1], r[2]), []).append(r)
    bad3 = []
    for r in raw(a, "uitkeringen.csv"):
        later = r3b.get((r[0].zfill(9), r[1], r[2]), [])
        if r[3]:
            fits = [x for x in later if x[3:5] == r[3:5]]
        else:
            fits = [x for x in later if x[3] == "" or iso(x[3]) > pa]
        if not fits:
            bad3.append(r)
    ok(not miss2 and not bad1 and not bad3 and pa < pb,
       "extract %s extends extract %s (R1, R2, R3)" % (pb, pa), (miss2[:2], bad1[:2], bad3[:2]))


def truth(d):
    t = {}
    for r in csv.DictReader(open(d + "/truth-cohorts.csv")):
        if r["status"] != "synth_only" and r["row"] != "applicants":
            t[(r["cohort_kind"], r["cohort"], r["benefit"], r["population"], r["row"], r["measure"])] = r
    return t


for a, b in zip(dirs, dirs[1:]):
    check_raw(a, b)
series = [(peil(d), truth(d)) for d in dirs]
rule_bad, changed, revised, n_known = [], [], [], []
seen = {}
for p, t in series:
    n_known.append(sum(1 for r in t.values() if r["status"] == "known"))
    for key, r in t.items():
        if (r["status"] == "known") != (p >= r["known_from"]):
            rule_bad.append((p, key, r["status"], r["known_from"]))
        if r["status"] == "known":
            if key in seen and seen[key] != (r["estimate"], r["n"], r["known_from"]):
                (revised if key[5] == "share_person_rule" else changed).append(
                    (p, key, seen[key], (r["estimate"], r["n"], r["known_from"])))
            seen.setdefault(key, (r["estimate"], r["n"], r["known_from"]))
ok(not rule_bad, "in each of %d extracts a figure is known exactly from its known_from on" % len(series), rule_bad[:3])
ok(not changed and len(seen) > 0, "%d figures, once known, never change in a later extract" % len(seen), changed[:3])
print("# handover by the study's person rule: %d revisions of known figures" % len(revised))
ok(all(x <= y for x, y in zip(n_known, n_known[1:])) and n_known[-1] > n_known[0],
   "known figures only grow along the extracts: %s" % " ".join(map(str, n_known)))
