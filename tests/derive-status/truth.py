#!/usr/bin/env python3
"""Compare derive-status's output with synth's truth (independent of the C code).

  truth.py STATUS TRUTH_CSV TRUTH_PERSONS_CSV

counts: for each benefit and population (on_benefit_3m/6m/12m = 1, all), the persons,
sampled persons and respondents per wave in STATUS must equal truth.csv's table=counts
rows exactly. persons: every column truth-persons.csv shares with person_status/1 must
equal it for every sampled person (numbers compared as numbers). Prints one line per
difference and two summary lines ("counts compared: N bad B", "person mismatches: M").
"""
import csv, gzip, sys
def rows(f):
    op = gzip.open if f.endswith(".gz") else open
    with op(f, "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(l for l in fh if not l.startswith("#")))
st = rows(sys.argv[1]); truth = rows(sys.argv[2]); tp = rows(sys.argv[3])
# counts
got = {}
for r in st:
    for pop in ("on_benefit_3m", "on_benefit_6m", "on_benefit_12m", "all"):
        if pop != "all" and r[pop] != "1": continue
        for what, cond in (("persons", True), ("sampled", r["in_sample"] == "1"),
                           ("responded_w1", r["responded_w1"] == "1"),
                           ("responded_w2", r["responded_w2"] == "1"),
                           ("responded_w3", r["responded_w3"] == "1")):
            if cond:
                got[(r["benefit"], pop, what)] = got.get((r["benefit"], pop, what), 0) + 1
bad = 0
for t in truth:
    if t["table"] != "counts": continue
    k = (t["benefit"], t["population"], t["row"])
    if got.get(k, 0) != int(float(t["estimate"])):
        print("count", k, "truth", t["estimate"], "got", got.get(k, 0)); bad += 1
print("counts compared:", sum(1 for t in truth if t["table"] == "counts"), "bad", bad)
# persons
by = {r["person_key"]: r for r in st}
cols = [c for c in tp[0] if c in st[0] and c not in ("person_key",)]
mism = {}
for t in tp:
    r = by.get(t["person_key"])
    if r is None: mism.setdefault("missing person", []).append(t["respnr"]); continue
    for c in cols:
        a, b = r[c], t[c]
        if a != b:
            try:
                if abs(float(a) - float(b)) < 1e-9 * max(1, abs(float(b))): continue
            except ValueError: pass
            mism.setdefault(c, []).append((t["respnr"], a, b))
for c, v in mism.items(): print(c, len(v), v[:3])
print("person columns compared:", len(cols), "persons", len(tp))
print("person mismatches:", sum(len(v) for v in mism.values()))
