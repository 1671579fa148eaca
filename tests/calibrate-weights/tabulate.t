#!/usr/bin/env bash
# tabulate --calibrated on a world small enough to work out (fit-models/calibrated.t's): 15
# WW and 16 WWB people, eight of them wave-2 respondents, post-stratified on benefit. The
# cell: the mean of h1_search_hours among the men who answered wave 2 (both benefits), a
# ratio R = sum w y / sum w. python3 below computes its standard error from the textbook
# formulas (survey's svyrecvar after calibrate): u_i = w_i (y_i - R) / W in the cell, 0 for
# the rest of the set; z = u / w; B_c = the d-weighted mean of z over benefit cell c of the
# set; e_i = u_i - w_i B_c(i); V = sum_h n_h / (n_h - 1) sum_h (e - ebar_h)^2 over the set's
# strata. And with design weights (the whole sample, e = u) for contrast. Then which set a
# panel takes, and the refusals of --calibrated, each with its message and exit status.
source "$KETEN_ROOT/tests/lib/tap.sh"
source "$KETEN_ROOT/tests/calibrate-weights/lib.sh"
export REC_LEVEL=0

calibrated_small_world
cp "$KETEN_ROOT/pipelines/eerste-jaar/populations.spec" .
cat > t.spec <<'S'
populations populations.spec
table men
  title.nl x
  title.en x
  benefit all
  weights design
  panel h1 all sex=male & responded_w2
    row hours mean h1_search_hours
end
S
tabulate --min-n 0 t.spec cal.csv > design.csv 2> err
same_line "design weights: exit 0" "0:" "$?:$(cat err)"
tabulate --min-n 0 --calibrated ps.spec t.spec cal.csv > calibrated.csv 2> err
same_line "--calibrated: exit 0" "0:" "$?:$(cat err)"

python3 - cal.csv design.csv calibrated.csv <<'PY' || echo "not ok - tabulate --calibrated: the Python checks stopped before their end"
import sys
sys.path.insert(0, __import__("os").environ["KETEN_ROOT"] + "/tests/calibrate-weights")
from smallworld import World, ok, sections, variance
Z = 1.959963984540054
W = World(sys.argv[1])
def ratio(wt):
    g = [i for i in range(len(W.people)) if W.dom[i]]
    S = sum(wt[i] for i in g)
    R = sum(wt[i] * W.y[i] for i in g) / S
    return R, {i: wt[i] * (W.y[i] - R) / S for i in g}
def check(path, label, wt, sample, resid):
    c = sections(path)["table/1"][0]
    est, se = float(c["estimate"]), (float(c["ci_high"]) - float(c["ci_low"])) / (2 * Z)
    R, u = ratio(wt)
    want = variance(sample, resid(u)) ** 0.5
    ok(abs(est - R) < 1e-12 * R, "%s: the men's mean, %.12g" % (label, R), "got %r" % est)
    ok(abs(se - want) < 1e-12 * want, "%s: its standard error, %.12g" % (label, want), "got %r" % se)
    ok(c["n"] == "5" and c["weighted"] == "1", "%s: n = 5, weighted" % label, "n %s weighted %s" % (c["n"], c["weighted"]))
    return c
c = check(sys.argv[2], "design weights", W.d, W.design_sample, lambda u: u)
ok(not c["method"].endswith("calibrated_weight_w2"), "design weights: the method names no calibrated weight")
c = check(sys.argv[3], "calibrated", W.w, W.set_sample, W.residuals)
ok(c["method"].endswith("; weight calibrated_weight_w2"), "calibrated: the method names the weight", c["method"])
PY

# ---- which set: the most specific one the panel lies in ----------------------------------
sed 's/^  panel h1 all sex=male & responded_w2$/  panel h1 all sex=male \& responded_w2 \& responded_w3/' t.spec > t23.spec
tabulate --min-n 0 --calibrated ps.spec t23.spec cal.csv > out 2> err
same_line "a panel of waves 2 and 3 takes the set of both" "0:calibrated_weight_w23" \
	"$?:$(awk -F, 'NR == 3 { sub(/.*; weight /, "", $14); print $14 }' out)"

# ---- refusals ---------------------------------------------------------------------------
refuse() {   # refuse NAME CODE MESSAGE ARGS...
	local name=$1 code=$2 msg=$3; shift 3
	tabulate --min-n 0 "$@" > out 2> err
	same_line "$name: exit $code" "$code" "$?"
	same_line "$name: the message" "$msg" "$(head -1 err)"
}
refuse "no such calibration spec" 2 "tabulate: --calibrated: nope.spec: cannot open: No such file or directory" \
	--calibrated nope.spec t.spec cal.csv
sed 's/ & responded_w2$//' t.spec > t0.spec
refuse "a weighted panel in no calibrated set" 2 \
	"tabulate: t0.spec:2: table men, panel h1 all: --calibrated: no respondent set of ps.spec holds the population: none of its sets' conditions is required by it" \
	--calibrated ps.spec t0.spec cal.csv
sed 's/ & responded_w2$/ \& responded_w1 \& responded_w2/' t.spec > t12.spec
refuse "a weighted panel in two sets as specific" 2 \
	"tabulate: t12.spec:2: table men, panel h1 all: --calibrated: the population lies in two respondent sets of ps.spec, calibrated_weight_w1 (responded_w1) and calibrated_weight_w2 (responded_w2): which weight is meant?" \
	--calibrated ps.spec t12.spec cal.csv
refuse "a stream without calibrated weights" 1 \
	"tabulate: small.csv:2: person_support/1 has no field calibration_method (built-in)" \
	--calibrated ps.spec t.spec small.csv
spec other.spec "benefit sex"
refuse "weights calibrated on other margins" 1 \
	"tabulate: cal.csv:3: calibration_method: the weights were calibrated on other margins than other.spec's (benefit*sex): method=raking;bounds=-inf,inf;margins=benefit;epsilon=1e-07;maxit=50;converge=totals" \
	--calibrated other.spec t.spec cal.csv
ok_if "nothing written by a refused run" test ! -s out
done_testing
