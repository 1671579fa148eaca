#!/usr/bin/env python3
"""gen-survey.py > survey.csv

The stratified test sample that tests/tabulate/r/survey.R and tests/tabulate/survey.t both
read (committed, so CI needs neither this script nor R): 400 persons, about half of them in
the sample, four strata (one with a non-ASCII name), weights that vary a little within a
stratum, nonresponse per wave, censored (missing) on-benefit flags, zeros for people not
looking for work and missing hours. Deterministic (fixed seed). Columns are person_support/1
names; tests/tabulate/data/mksection.py fills in the rest.
"""
import csv
import random
import sys

rng = random.Random(20060301)
STRATA = {  # name: (benefit, sampling rate, base weight)
    "Fryslân-ww": ("ww", 0.55, 18.0),
    "Holland-ww": ("ww", 0.50, 9.0),
    "Fryslân-wwb": ("wwb", 0.60, 4.0),
    "Brabant-wwb": ("wwb", 0.45, 24.0),
}
COLS = ["person_key", "benefit", "phase", "large_distance", "in_sample", "stratum",
        "inclusion_prob", "design_weight", "responded_w1", "responded_w2", "responded_w3",
        "on_benefit_3m", "on_benefit_6m", "on_benefit_12m", "w1_obligation", "h1_poor_health",
        "h1_search_hours", "h2_search_hours", "h1_any_support", "h2_any_support",
        "year_advice", "year_help_applying", "year_own_business", "year_programme",
        "year_h2_programme", "year_training", "year_problem_help", "year_contacts",
        "year_any_support", "handover_category"]


def flag(p):
    return "1" if rng.random() < p else "0"


def hours(looking_p):
    r = rng.random()
    if r < 0.05:
        return ""                               # missing answer
    if rng.random() > looking_p:
        return "0"                              # not looking: 0 hours (footnote 3)
    return str(rng.randint(1, 30))


w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(COLS)
names = list(STRATA)
for i in range(400):
    st = names[i % 4]
    benefit, rate, base = STRATA[st]
    v = dict.fromkeys(COLS, "")
    v["person_key"] = "k%04d" % i
    v["benefit"] = benefit
    phase = rng.choice([1, 1, 2, 2, 3, 4])
    v["phase"] = str(phase)
    v["large_distance"] = "1" if phase >= 3 else "0"
    r3 = rng.random()
    v["on_benefit_3m"] = "" if r3 < 0.05 else ("1" if r3 < 0.88 else "0")
    if v["on_benefit_3m"] == "1":
        v["on_benefit_6m"] = "" if rng.random() < 0.05 else flag(0.78)
    elif v["on_benefit_3m"] == "0":
        v["on_benefit_6m"] = "0"
    if v["on_benefit_6m"] == "1":
        v["on_benefit_12m"] = "" if rng.random() < 0.05 else flag(0.7)
    elif v["on_benefit_6m"] == "0":
        v["on_benefit_12m"] = "0"
    if benefit == "ww":
        v["handover_category"] = rng.choices(["none", "cwi_only", "uwv_only", "both"], [8, 25, 12, 55])[0]
    insample = rng.random() < rate
    v["in_sample"] = "1" if insample else "0"
    for k in ("responded_w1", "responded_w2", "responded_w3"):
        v[k] = "0"
    if insample:
        v["stratum"] = st
        weight = base + rng.choice([0.0, 0.0, 1.0, 2.5])
        v["design_weight"] = repr(weight)
        v["inclusion_prob"] = repr(1 / weight)
        v["responded_w1"] = flag(0.8)
        v["responded_w2"] = flag(0.72)
        v["responded_w3"] = flag(0.8) if v["responded_w2"] == "1" else flag(0.3)
    looking = 0.75 if benefit == "ww" else 0.35
    if v["responded_w1"] == "1":
        v["w1_obligation"] = rng.choices(["yes", "no", "dont_know", ""], [35, 52, 10, 3])[0]
    if v["responded_w1"] == "1" or v["responded_w2"] == "1":
        v["h1_poor_health"] = flag(0.2 if phase < 3 else 0.4)
    if v["responded_w2"] == "1":
        v["h1_any_support"] = flag(0.9 if benefit == "ww" else 0.8)
        v["h1_search_hours"] = hours(looking)
    if v["responded_w3"] == "1":
        v["h2_any_support"] = flag(0.65 if benefit == "ww" else 0.55)
        v["h2_search_hours"] = hours(looking - 0.1)
    if v["responded_w2"] == "1" and v["responded_w3"] == "1":
        for k, p in (("year_advice", 0.7), ("year_help_applying", 0.4), ("year_own_business", 0.08),
                     ("year_programme", 0.45), ("year_training", 0.15), ("year_contacts", 0.8)):
            v[k] = flag(p)
        v["year_h2_programme"] = v["year_programme"] if rng.random() < 0.8 else "0"
        v["year_problem_help"] = flag(0.4) if rng.random() < 0.35 else ""
        v["year_any_support"] = "1" if any(v[k] == "1" for k in (
            "year_advice", "year_help_applying", "year_own_business", "year_programme",
            "year_training", "year_contacts", "year_problem_help")) else flag(0.3)
    w.writerow([v[c] for c in COLS])

# one more stratum with a single sampled person: a lonely PSU, which adds nothing to the
# variance (R: options(survey.lonely.psu = "certainty"))
v = dict.fromkeys(COLS, "")
v.update(person_key="k0400", benefit="ww", phase="2", large_distance="0", in_sample="1",
         stratum="Texel-ww", inclusion_prob=repr(1 / 40.0), design_weight="40.0",
         responded_w1="1", responded_w2="1", responded_w3="1", on_benefit_3m="1",
         on_benefit_6m="1", on_benefit_12m="1", w1_obligation="no", h1_poor_health="0",
         h1_search_hours="12", h2_search_hours="8", h1_any_support="1", h2_any_support="0",
         year_advice="1", year_help_applying="0", year_own_business="0", year_programme="1",
         year_h2_programme="1", year_training="0", year_problem_help="", year_contacts="1",
         year_any_support="1", handover_category="cwi_only")
w.writerow([v[c] for c in COLS])
