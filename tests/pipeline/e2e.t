#!/usr/bin/env bash
# End to end: synth world -> the whole pipeline -> every figure against synth's truth.
#  - figures on respondents equal synth's weighted respondent truth exactly (same answers,
#    same weights), registry figures and counts equal the population truth exactly;
#  - every survey figure lies within 4 standard errors of the population truth;
#  - every model effect that is clearly non-zero (|true| > 3 se) has the true sign.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"

make_world world
same_line "synth writes the pseudonym key readable by its owner only" 600 "$(stat -c %a world/pseudonym.key)"
expect_exit 0 "the pipeline runs on a synth world" run_pipeline world report
for f in tables.csv report.md report.html persons.csv.gz model_fit.csv model_coef.csv rejects.csv.gz unlinked.csv.gz \
	tables.rec.gz persons.rec.gz rejects.rec.gz unlinked.rec.gz summary.txt extracts.sha256; do
	ok_if "the report folder has $f" test -s "report/$f"
done
ok_if "tables.rec.gz is a valid table/1 stream" rec-check -q report/tables.rec.gz
ok_if "persons.rec.gz is a valid stream" rec-check -q report/persons.rec.gz

# the plain files, as an analyst reads them (python3's csv with its defaults)
python3 - world/truth.csv report/tables.csv report/model_coef.csv <<'PY' || echo "not ok - the plain files against synth's truth: the Python checks stopped before their end"
import csv, math, sys
truth_path, tables_path, coef_path = sys.argv[1:4]
def ok(cond, desc, detail=""):
    print(("ok - " if cond else "not ok - ") + desc)
    if not cond and detail:
        for line in detail.splitlines()[:15]:
            print("#   " + line)

truth = {}
for r in csv.DictReader(open(truth_path)):
    truth[(r["table"], r["benefit"], r["period"], r["population"], r["row"], r["measure"], r["scope"])] = r
rows = list(csv.DictReader(open(tables_path, newline="")))
# survey cells are published weighted and unweighted (run --weights both): an unweighted
# cell whose key has a weighted one is its twin, held to the unweighted truth
twinned = {(r["table"], r["benefit"], r["period"], r["population"], r["row"], r["measure"])
           for r in rows if r["weighted"] == "1"}

# 1. exact agreement with the truth computed from the same answers
exact_bad, compared, n_bad = [], 0, []
pop_bad, pop_compared = [], 0
for r in rows:
    if r["measure"] not in ("share", "mean", "count") or r["suppressed"] == "1":
        continue
    k = (r["table"], r["benefit"], r["period"], r["population"], r["row"], r["measure"])
    scope = "respondents_weighted" if r["weighted"] == "1" else "respondents_unweighted" if k in twinned else "population"
    if r["table"] == "counts":
        scope = "population" if k + ("population",) in truth else "respondents_unweighted"
    t = truth.get(k + (scope,))
    if t is None:
        continue
    compared += 1
    est, tv = float(r["estimate"]), float(t["estimate"])
    if abs(est - tv) > 1e-9 * max(1.0, abs(tv)):
        exact_bad.append("%s: %s, truth %s" % (",".join(k), est, tv))
    if t["n"] and int(r["n"]) != int(t["n"]):
        n_bad.append("%s: n %s, truth %s" % (",".join(k), r["n"], t["n"]))
    # 2. survey figures against the population truth, within 4 standard errors
    p = truth.get(k + ("population",))
    if r["weighted"] == "1" and p is not None and r["ci_low"] and r["ci_high"]:
        se = (float(r["ci_high"]) - float(r["ci_low"])) / (2 * 1.959963984540054)
        pop_compared += 1
        if abs(est - float(p["estimate"])) > 4 * se + 1e-12:
            pop_bad.append("%s: %.4f, population %.4f, se %.4f" % (",".join(k), est, float(p["estimate"]), se))
ok(compared >= 80, "at least 80 figures have a truth to compare with (%d)" % compared)
ok(not exact_bad, "every figure equals synth's truth on the same people (%d compared)" % compared, "\n".join(exact_bad))
ok(not n_bad, "every n equals synth's count", "\n".join(n_bad))
ok(pop_compared >= 40 and not pop_bad, "every survey figure is within 4 se of the population truth (%d)" % pop_compared, "\n".join(pop_bad))

# 3. every figure synth knows for the report's tables is in the output
have = {(r["table"], r["benefit"], r["period"], r["population"], r["row"], r["measure"]) for r in rows}
missing = sorted(",".join(k[:6]) for k in truth if k[0] not in ("model_truth", "counts") and k[:6] not in have)
ok(not missing, "every figure of truth.csv is in tables.csv", "\n".join(missing))

# 4. model effects: the true sign wherever the truth is clearly non-zero
coef = {(d["model"], d["term"]): d for d in csv.DictReader(open(coef_path, newline=""))}
sign_bad, checked, unmatched = [], 0, []
for k, t in truth.items():
    if k[0] != "model_truth" or k[5] != "coef":
        continue
    c = coef.get((k[3], k[4]))
    if c is None or not c["estimate"] or not c["se"]:
        unmatched.append("%s %s" % (k[3], k[4]))
        continue
    tv, est, se = float(t["estimate"]), float(c["estimate"]), float(c["se"])
    if abs(tv) > 3 * se and k[4] != "(Intercept)":
        checked += 1
        if (est > 0) != (tv > 0):
            sign_bad.append("%s %s: estimate %.3f (se %.3f), true %.3f" % (k[3], k[4], est, se, tv))
ok(not unmatched, "every generating coefficient has an estimate under the same model and term name", "\n".join(unmatched))
ok(checked >= 10, "at least 10 clearly non-zero effects to check (%d)" % checked)
ok(not sign_bad, "every clearly non-zero effect of fig2/fig5/table1 has the true sign", "\n".join(sign_bad))
PY
done_testing
