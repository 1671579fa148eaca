#!/usr/bin/env bash
# fit-models' design variance as a domain of the whole sample, and with calibrated weights
# (--calibrated), on a world small enough to work out: a linear model of y on one
# categorical term (benefit, reference ww) fits the weighted mean of each group, so its
# intercept is the mean of the WW part of the domain, with influence values u_i = w_i (y_i
# - m_ww) / W_ww there, and the wwb coefficient the difference of the means, with u = u_wwb
# - u_ww. python3 below computes their standard errors from the textbook formulas (survey's
# svyrecvar):
#   design weights: u is 0 for the rest of the sample (everyone with a design weight);
#     V = sum_h n_h / (n_h - 1) sum_h (u - ubar_h)^2 over the sample's stratum h;
#   calibrated (post-stratification on benefit): the sample is the wave-2 respondents, z_i =
#     u_i / w_i, B_c = the d-weighted mean of z in benefit cell c, e_i = u_i - w_i B_c(i),
#     V as above with e for u.
# Then the refusals of --calibrated, each with its message and exit status.
source "$KETEN_ROOT/tests/lib/tap.sh"
source "$KETEN_ROOT/tests/calibrate-weights/lib.sh"
export REC_LEVEL=0

# 15 WW and 16 WWB people. Wave-2 respondents: a1-a4 and a6 (WW, design weights 2 2 3 3 3:
# g = 15/13) and b1-b3 (WWB, 2 2 4: g = 16/8); a5 and b4 were sampled but did not answer
# wave 2 (they count in the design-weighted sample's strata, not in the calibrated one's);
# the others were not sampled. The domain: the men who answered wave 2 (a1, a3, a6, b1, b3),
# both benefits.
# (The women a2, a4 and b2 answered wave 3 too: every set of the spec has respondents.)
calibrated_small_world
cat > m.spec <<'S'
model mean_men
  family linear
  outcome h1_search_hours
  population sex == male and responded_w2 == 1
  weights design
  variance design strata stratum
  term benefit
S
fit-models -i cal.csv m.spec > design.csv 2> err
same_line "design weights: exit 0" 0 "$?"
fit-models --calibrated ps.spec -i cal.csv m.spec > calibrated.csv 2> err
same_line "--calibrated: exit 0" 0 "$?"

python3 - cal.csv design.csv calibrated.csv <<'PY' || echo "not ok - fit-models --calibrated: the Python checks stopped before their end"
import os, sys
sys.path.insert(0, os.environ["KETEN_ROOT"] + "/tests/calibrate-weights")
from smallworld import World, ok, sections, variance
Wd = World(sys.argv[1])
people, dom, y, d, N, w = Wd.people, Wd.dom, Wd.y, Wd.d, Wd.N, Wd.w
# the stage's weights: the cell's population shared in proportion to the design weights
stage = [float(p["calibrated_weight_w2"]) if p["calibrated_weight_w2"] else None for p in people]
ok(all((a is None and b is None) or abs(a - b) < 1e-12 for a, b in zip(w, stage)),
   "the stage's wave-2 weights are the post-stratified ones (15/13 and 16/8 times d)")
def fit(path):
    s = sections(path)
    c = {r["term"]: r for r in s["model_coef/1"]}
    return s["model_fit/1"][0], [(float(c[t]["estimate"]), float(c[t]["se"])) for t in ("(Intercept)", "benefit:wwb")]
def coefficients(wt):
    """the two coefficients and their influence values over the domain, weights wt"""
    m, u = {}, {}
    for b in ("ww", "wwb"):
        g = [i for i, p in enumerate(people) if dom[i] and p["benefit"] == b]
        W = sum(wt[i] for i in g)
        m[b] = sum(wt[i] * y[i] for i in g) / W
        u[b] = {i: wt[i] * (y[i] - m[b]) / W for i in g}
    diff = {i: u["wwb"].get(i, 0.0) - u["ww"].get(i, 0.0) for i in set(u["ww"]) | set(u["wwb"])}
    return [(m["ww"], u["ww"]), (m["wwb"] - m["ww"], diff)]
def check(path, label, weights, sample, resid):
    f, got = fit(path)
    for (est, u), (e, se), name in zip(coefficients(weights), got, ("the intercept (the WW men's mean)", "benefit:wwb (the difference)")):
        want = variance(sample, resid(u)) ** 0.5
        ok(abs(e - est) < 1e-12 * max(1, abs(est)), "%s: %s, %.12g" % (label, name, est), "got %r" % e)
        ok(abs(se - want) < 1e-12 * want, "%s: its standard error, %.12g" % (label, want), "got %r" % se)
    return f
# design weights: the sample is everyone with a design weight
sample = Wd.design_sample
f = check(sys.argv[2], "design weights", d, sample, lambda u: u)
ok(f["weights"] == "design", "design weights: model_fit says weights = design")
u = coefficients(d)[0][1]
rows_only = variance([p["stratum"] if dom[i] else None for i, p in enumerate(people)], u) ** 0.5
ok(abs(rows_only - variance(sample, u) ** 0.5) > 1e-3 * rows_only,
   "(the model's rows alone would give another intercept standard error, %.6g: the domain matters here)" % rows_only)
# calibrated: the sample is the wave-2 respondents, residuals against the benefit cells
f = check(sys.argv[3], "calibrated", w, Wd.set_sample, Wd.residuals)
ok(f["weights"] == "calibrated" and "weight:calibrated_weight_w2" in f["warnings"].split(";"),
   "calibrated: model_fit says weights = calibrated and notes weight:calibrated_weight_w2",
   "weights %s, warnings %s" % (f["weights"], f["warnings"]))
PY

# ---- which set: the most specific one the population lies in -----------------------------
cat > m23.spec <<'S'
model both_waves
  family linear
  outcome h1_search_hours
  population sex == male and responded_w2 == 1 and responded_w3
  weights design
  variance design strata stratum
  term benefit
S
sed -i 's/^\(a1\|a3\|a6\|b1\|b3\) \(.*\)answered=1,2 /\1 \2answered=1,2,3 /' small.txt
people small.txt > small23.csv
calibrate-weights ps.spec small23.csv > cal23.csv
fit-models --min-rows 0 --calibrated ps.spec -i cal23.csv m23.spec > out 2> err
same_line "a population in waves 2 and 3: the set of both (weight:calibrated_weight_w23)" \
	"0:calibrated:weight:calibrated_weight_w23" \
	"$?:$(awk -F, '/^#schema/ { s = $0; next } s ~ /model_fit/ && $1 == "both_waves" { print $5 ":" $21 }' out)"

# ---- refusals ---------------------------------------------------------------------------
refuse() {   # refuse NAME CODE MESSAGE ARGS...
	local name=$1 code=$2 msg=$3; shift 3
	fit-models "$@" > out 2> err
	same_line "$name: exit $code" "$code" "$?"
	same_line "$name: the message" "$msg" "$(head -1 err)"
}
refuse "--calibrated on a stream calibrate-weights did not write" 1 \
	"fit-models: m.spec:1: mean_men: no section of the input has calibrated_weight_w2" \
	--calibrated ps.spec -i small.csv m.spec
python3 - cal.csv > notag.csv <<'PY' || echo "not ok - a stream without calibration_method: the Python that writes it stopped before its end"
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
i = rows[1].index("calibration_method")
print(rows[0][0])
for r in rows[1:]: print(",".join(v for k, v in enumerate(r) if k != i))
PY
sed -i '1s/.*/#schema fmtest_calibrated\/1/' notag.csv
python3 - > fmtest_calibrated-1.schema <<'PY' || echo "not ok - fmtest_calibrated-1.schema: the Python that writes it stopped before its end"
print("schema fmtest_calibrated/1")
for l in open("$KETEN_ROOT/schemas/person_calibrated-1.schema".replace("$KETEN_ROOT", __import__("os").environ["KETEN_ROOT"])):
    if l.startswith("extends") or (l.strip() and not l.startswith(("#", "schema", "calibration_method"))):
        print(l.rstrip("\n"))
PY
REC_SCHEMA_PATH=$PWD refuse "--calibrated on weights without calibrate-weights' method tag" 1 \
	"fit-models: notag.csv:2: section fmtest_calibrated/1 has no calibration_method column: its weights were not made by calibrate-weights, which --calibrated expects" \
	--calibrated ps.spec -i notag.csv m.spec
spec other.spec "benefit sex"
refuse "--calibrated with a spec of other margins than the stream's" 1 \
	"fit-models: cal.csv:3: calibration_method: the weights were calibrated on other margins than other.spec's (benefit*sex): method=raking;bounds=-inf,inf;margins=benefit;epsilon=1e-07;maxit=50;converge=totals" \
	--calibrated other.spec -i cal.csv m.spec
refuse "--calibrated with a spec that does not exist" 2 \
	"fit-models: --calibrated: none.spec: cannot open: No such file or directory" --calibrated none.spec -i cal.csv m.spec
sed 's/responded_w2 == 1/benefit == ww/' m.spec > nowave.spec
refuse "a weighted population in no respondent set" 2 \
	"fit-models: nowave.spec:1: model mean_men: --calibrated: no respondent set of ps.spec holds the population: none of its sets' conditions is required by it" \
	--calibrated ps.spec -i cal.csv nowave.spec
sed 's/^set calibrated_weight_w23 .*/set calibrated_weight_w23 responded_w1 \& responded_w2/' ps.spec > tie.spec
sed 's/responded_w2 == 1/responded_w2 == 1 and responded_w3 == 1/' m.spec > tie-model.spec
refuse "a population in two sets of one wave each" 2 \
	"fit-models: tie-model.spec:1: model mean_men: --calibrated: the population lies in two respondent sets of tie.spec, calibrated_weight_w2 (responded_w2) and calibrated_weight_w3 (responded_w3): which weight is meant?" \
	--calibrated tie.spec -i cal.csv tie-model.spec
sed 's/^  weights design$/  weights design calibrated_weight_w2/' m.spec > named.spec
refuse "a calibrated weight named without --calibrated (design variance)" 2 \
	"fit-models: named.spec:1: model mean_men: calibrated_weight_w2 is a calibrated weight: give --calibrated SPEC (the calibration spec) so that the variance accounts for the calibration" \
	-i cal.csv named.spec
fit-models --calibrated ps.spec -i cal.csv named.spec > named.csv 2> err
same_line "a calibrated weight named in the spec, with --calibrated: exit 0" 0 "$?"
same_line "... the same numbers as the set found from the population" \
	"$(sed -n '/^#schema model_fit/,$p' calibrated.csv | cut -d, -f1-20)" "$(sed -n '/^#schema model_fit/,$p' named.csv | cut -d, -f1-20)"
set_value cal.csv a3 design_weight "" > nod.csv
refuse "a member of the calibrated set without a design weight" 1 \
	"fit-models: nod.csv:5: design_weight: missing for a person of set calibrated_weight_w2: " \
	--calibrated ps.spec -i nod.csv m.spec
done_testing
