#!/usr/bin/env bash
# Every refusal of calibrate-weights with its exact message and exit status, and nothing on
# stdout: calibration that cannot be done (exit 1, naming the set, margin and cell), bad
# input (exit 1, FILE:LINE: FIELD:), a bad spec or command line (exit 2).
source "$KETEN_ROOT/tests/lib/tap.sh"
source "$KETEN_ROOT/tests/calibrate-weights/lib.sh"
export REC_LEVEL=0
d=$KETEN_ROOT/tests/calibrate-weights/data
people "$d/twelve.txt" > pop.csv

# refuse NAME CODE MESSAGE ARGS...: exit CODE, stderr's first line MESSAGE, stdout empty
refuse() {
	local name=$1 code=$2 msg=$3; shift 3
	calibrate-weights "$@" > out 2> err
	same_line "$name: exit $code, nothing written" "$code:0" "$?:$(wc -c < out)"
	same_line "$name: the message" "$msg" "$(head -1 err)"
}

# ---- calibration that cannot be done ----------------------------------------------------
spec bs.spec "benefit sex"
refuse "an empty cell (no WW woman answered wave 3)" 1 \
	"calibrate-weights: set calibrated_weight_w3 (responded_w3): margin benefit*sex: cell benefit=ww, sex=female: no respondents (3 persons in the population)" \
	bs.spec pop.csv
spec nobody.spec "benefit age_class"
sed -i 's/^set calibrated_weight_w23 .*/set calibrated_weight_w23 responded_w1 \& migrant/' nobody.spec
refuse "a set with no respondents" 1 \
	"calibrate-weights: set calibrated_weight_w23 (responded_w1 & migrant): margin benefit*age_class: no respondents in any cell (12 persons in the population)" \
	nobody.spec pop.csv
spec ba.spec "benefit age_class"
refuse "infeasible bounds (WWB under 25 needs g = 3/8)" 1 \
	"calibrate-weights: set calibrated_weight_w1 (responded_w1): margin benefit*age_class: cell benefit=wwb, age_class=under_25: 3 persons in the population, 2 respondents whose design weights add up to 8: g-weights of 0.375 on average, outside the bounds 0.4..3 (infeasible bounds)" \
	--method raking --bounds 0.4,3 ba.spec pop.csv
# sex and age class are independent in the population, the same among the respondents
cat > col.txt <<'P'
c1 sex=male   age_class=under_25 design_weight=2 answered=1
c2 sex=female age_class=35_44    design_weight=2 answered=1
c3 sex=male   age_class=35_44    in_sample=0
c4 sex=female age_class=under_25 in_sample=0
P
people col.txt > col.csv
spec col.spec "sex" "age_class"
sed -i 's/responded_w[23]\( & responded_w3\)*$/responded_w1/' col.spec
for m in linear raking "logit --bounds 0.2,5"; do
	refuse "collinear among the respondents, $m" 1 \
		"calibrate-weights: set calibrated_weight_w1 (responded_w1): the margins are collinear among the respondents (not in the population): margin sex cell sex=male and margin age_class cell age_class=under_25 select the same respondents, or a combination of other cells does" \
		--method $m col.spec col.csv
done
spec two.spec "benefit sex" "age_class"
sed -i 's/responded_w[23]\( & responded_w3\)*$/responded_w1/' two.spec
calibrate-weights --maxit 2 two.spec pop.csv > out 2> err
same_line "no convergence in --maxit 2: exit 1, nothing written" "1:0" "$?:$(wc -c < out)"
has_text "no convergence: the message names the set, margin, cell and misfit" err \
	"^calibrate-weights: set calibrated_weight_w1 \(responded_w1\): margin [a-z_*]+: cell [a-z_]+=[a-z_0-9]+(, [a-z_]+=[a-z_0-9]+)?: raking calibration did not converge in 2 iterations: the cell's total is still off by [0-9.e-]+ \(\|calibrated - population\| / \(1 \+ population\), epsilon 1e-07\); wider bounds, another method or coarser margins may help$"
calibrate-weights --maxit 50 two.spec pop.csv > out 2> err
same_line "the same calibration converges with --maxit 50" "0:" "$?:$(cat err)"

# ---- bad input ----------------------------------------------------------------------------
sed 's/^\(p01 .*\)design_weight=2/\1design_weight=/' "$d/twelve.txt" > nodw.txt
people nodw.txt > nodw.csv
refuse "a respondent without a design weight" 1 \
	"calibrate-weights: nodw.csv:3: design_weight: missing for a person of set calibrated_weight_w1 (responded_w1)" \
	ba.spec nodw.csv
people "$d/twelve.txt" > twelve.csv
set_value twelve.csv p02 design_weight 0.5 > lowdw.csv
refuse "a design weight below 1 (the schema's range)" 1 \
	"calibrate-weights: lowdw.csv:4: design_weight: out of range [1,]: 0.5" ba.spec lowdw.csv
set_value twelve.csv p03 age_class old > old.csv
refuse "a value a margin column cannot have" 1 \
	"calibrate-weights: old.csv:5: age_class: not one of the codes of age_class: old" ba.spec old.csv
python3 "$KETEN_ROOT/tests/classify-support/mkstatus.py" "$d/twelve.txt" > status.csv
refuse "the wrong section" 1 \
	"calibrate-weights: status.csv:2: section person_status/1: calibrate-weights reads person_support/1 (classify-support's output)" \
	ba.spec status.csv
: > empty.csv
refuse "an empty input (an earlier stage died): the driver's message" 1 \
	"calibrate-weights: empty.csv: no section in the input: an empty stream (did an earlier stage fail?)" ba.spec empty.csv
refuse "an empty second input after a good one" 1 \
	"calibrate-weights: empty.csv: no section in the input: an empty stream (did an earlier stage fail?)" ba.spec pop.csv empty.csv
gzip -c pop.csv | head -c 600 > cut.gz
calibrate-weights ba.spec cut.gz > out 2> err
same_line "a truncated gzip stream: exit 1, nothing written" "1:0" "$?:$(wc -c < out)"
has_text "a truncated gzip stream: the reader's message" err "^calibrate-weights: cut.gz:[0-9]+: truncated gzip stream"
python3 -c 'for i in range(251): print("k%03d benefit=ww" % i)' > many.txt
people many.txt > many.csv
spec key.spec "person_key"
refuse "a margin column with more than 250 values" 1 \
	"calibrate-weights: many.csv:253: person_key: more than 250 values: a margin needs a categorical column" key.spec many.csv
refuse "a spool directory that does not exist" 1 \
	"calibrate-weights: $PWD/none: cannot create a spool file: No such file or directory" --tmpdir "$PWD/none" ba.spec pop.csv

# ---- the spec ---------------------------------------------------------------------------
badspec() {   # badspec NAME MESSAGE SPEC-TEXT
	printf '%s\n' "$3" > bad.spec
	refuse "spec: $1" 2 "calibrate-weights: $2" bad.spec pop.csv
	has_text "spec: $1: the usage hint" err "^Try 'calibrate-weights --help'"
}
sets='weight design_weight
set calibrated_weight_w1 responded_w1
set calibrated_weight_w2 responded_w2
set calibrated_weight_w3 responded_w3
set calibrated_weight_w23 responded_w2 & responded_w3'
badspec "no method" "bad.spec: no method line (linear, raking or logit)" "$sets
margin benefit"
badspec "an unknown method" "bad.spec:1: method: unknown method 'ipf' (linear, raking or logit)" "method ipf"
badspec "logit without bounds" "bad.spec: logit calibration needs finite bounds (a bounds line)" "method logit
$sets
margin benefit"
badspec "bounds not around 1" "bad.spec:2: bounds: 1 3: the lower bound must be below 1 and the upper above 1" "method raking
bounds 1 3"
badspec "an unknown column" "bad.spec:7: margin benefits: no such column in person_support/1" "method raking
$sets
margin benefits"
badspec "a margin on a number column" "bad.spec:7: margin: design_weight is not a categorical column (bool, int, enum or text)" "method raking
$sets
margin benefit design_weight"
badspec "a set condition on a non-bool column" "bad.spec:2: set calibrated_weight_w1: benefit is not a bool column" "method raking
set calibrated_weight_w1 benefit"
badspec "a set for a column the schema lacks" "bad.spec:2: set weight_w9: not a weight column of the output schema" "method raking
set weight_w9 responded_w1"
badspec "a weight column no set fills" "bad.spec: no set fills the weight column calibrated_weight_w23" "method raking
weight design_weight
set calibrated_weight_w1 responded_w1
set calibrated_weight_w2 responded_w2
set calibrated_weight_w3 responded_w3
margin benefit"
badspec "a margin given twice" "bad.spec:8: margin benefit*sex: given twice (line 7)" "method raking
$sets
margin benefit sex
margin benefit  sex"
badspec "an unknown statement" "bad.spec:1: unknown statement 'rake' (method, bounds, weight, set, margin)" "rake benefit"
refuse "a spec that does not exist" 2 "calibrate-weights: none.spec: cannot open: No such file or directory" none.spec pop.csv

# ---- the command line -------------------------------------------------------------------
refuse "no SPEC" 2 "calibrate-weights: no SPEC file given"
refuse "--method unknown" 2 "calibrate-weights: --method: expected linear, raking or logit, not 'ipf'" --method ipf ba.spec pop.csv
refuse "--bounds without a comma" 2 "calibrate-weights: --bounds: expected LOWER,UPPER, not '2'" --bounds 2 ba.spec pop.csv
refuse "--bounds not around 1" 2 "calibrate-weights: bounds 1.5..3: the lower bound must be below 1 and the upper above 1" --bounds 1.5,3 ba.spec pop.csv
refuse "--method logit over a spec without bounds" 2 "calibrate-weights: logit calibration needs finite bounds" --method logit ba.spec pop.csv
refuse "--maxit 0" 2 "calibrate-weights: --maxit: not a whole number from 1 to 100000: '0'" --maxit 0 ba.spec pop.csv
refuse "--epsilon 0" 2 "calibrate-weights: --epsilon: must be above 0: '0'" --epsilon 0 ba.spec pop.csv
refuse "--converge unknown" 2 "calibrate-weights: --converge: expected totals or weights, not 'both'" --converge both ba.spec pop.csv
refuse "an unknown option" 2 "calibrate-weights: unknown option '--rake'" --rake ba.spec pop.csv
refuse "an option without its argument" 2 "calibrate-weights: option '--maxit' needs a value" ba.spec pop.csv --maxit
has_text "a usage error ends with the driver's hint" err "^Try 'calibrate-weights --help'.$"
calibrate-weights --help > out 2> err
same_line "--help: exit 0, nothing on stderr" "0:" "$?:$(cat err)"
for col in calibration_method calibrated_weight_w1 calibrated_weight_w2 calibrated_weight_w3 calibrated_weight_w23; do
	has_text "--help lists the column $col" out "^  $col "
done
has_text "--help gives survey's defaults" out "default 1e-7, survey's"
has_text "--help has an example" out "^Example:"
same_line "--version" "calibrate-weights ketenmonitor 0.1" "$(calibrate-weights --version)"
done_testing
