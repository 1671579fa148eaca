#!/usr/bin/env python3
"""compare-glm.py OUT EXPECTED DESIGN TOL - fit-models' table1 models against R's svyglm.

OUT: fit-models' output (its model_fit/1 and model_coef/1 sections; plain text).
EXPECTED: make-expected.R's r-*-glm.csv (design,model,term,n,estimate,se). DESIGN: none (a
domain of the whole design-weighted sample) or the calibration method (raking: a domain of
the calibrated design). Prints one TAP line per model: the same rows (n) and terms, every
estimate and standard error within TOL (relative) of R's, and whether model_fit says which
weights made it (design, or calibrated with the weight column noted). A coefficient that
fit-models leaves missing because the outcome is constant where its term is 1 (warning
quasi_separation:TERM:1; R's estimate runs off towards -30 or so) is counted, not compared."""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from smallworld import sections  # noqa: E402

got = sections(sys.argv[1])
design, tol = sys.argv[3], float(sys.argv[4])
fits = {r["model"]: r for r in got.get("model_fit/1", [])}
coefs = {(r["model"], r["term"]): r for r in got.get("model_coef/1", [])}
want = {}
for r in csv.DictReader(open(sys.argv[2], newline="")):
    if r["design"] == design:
        want.setdefault(r["model"], []).append(r)
if not want:
    print("not ok - %s: no R values for design %s" % (sys.argv[2], design))
for model, rows in sorted(want.items()):
    bad, worst, separated = [], 0.0, 0
    fit = fits.get(model)
    if fit is None:
        print("not ok - %s (%s): fit-models did not fit it" % (model, design))
        continue
    weights = "design" if design == "none" else "calibrated"
    if fit["weights"] != weights:
        bad.append("weights %s, not %s" % (fit["weights"], weights))
    half = "h1" if "_h1_" in model else "h2"
    note = "weight:calibrated_weight_w%s" % ("2" if half == "h1" else "3")
    if design != "none" and note not in fit["warnings"].split(";"):
        bad.append("warnings %r do not name %s" % (fit["warnings"], note))
    if int(fit["n"]) != int(rows[0]["n"]):
        bad.append("n %s, R %s" % (fit["n"], rows[0]["n"]))
    for r in rows:
        c = coefs.get((model, r["term"]))
        if c is None:
            bad.append("no term %s" % r["term"])
            continue
        if c["estimate"] == "" and "quasi_separation:%s:1" % r["term"] in fit["warnings"].split(";"):
            separated += 1
            continue
        for k in ("estimate", "se"):
            a, b = float(c[k]) if c[k] else float("nan"), float(r[k])
            rel = abs(a - b) / abs(b)
            worst = max(worst, rel)
            if not rel <= tol:
                bad.append("%s %s: %r, R %r" % (r["term"], k, a, b))
    print("%s - %s (%s): %d coefficients and standard errors as R's svyglm (worst %.1e)%s"
          % ("not ok" if bad else "ok", model, design, len(rows) - separated, worst,
             "; %d left missing (quasi-separation)" % separated if separated else ""))
    for b in bad[:6]:
        print("#   " + b)
