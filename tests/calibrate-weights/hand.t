#!/usr/bin/env bash
# Known answers worked out by hand (or by an independent python3 few-liner), through the
# stage itself:
#  - one margin is post-stratification: every respondent's weight is the cell's population
#    count shared in proportion to the design weights, for raking, linear and logit alike;
#  - a missing value is a category of its own (on_benefit_12m unknown);
#  - two margins: raking equals iterative proportional fitting (python3 below) and meets
#    every cell of both margins, the cells left out as columns included;
#  - a set whose design weights already add up to the population keeps them.
source "$KETEN_ROOT/tests/lib/tap.sh"
source "$KETEN_ROOT/tests/calibrate-weights/lib.sh"
export REC_LEVEL=0

# data/twelve.txt: twelve people; the sampled ones have design weights 2 (WW under 25), 3
# (WW 35-44), 4 (WWB under 25), 5 (WWB 35-44). Every benefit x age cell has 3 people.
people "$KETEN_ROOT/tests/calibrate-weights/data/twelve.txt" > pop.csv
ok_if "twelve people as a person_support/1 stream" test "$(head -1 pop.csv):$(sed -n '3,$p' pop.csv | wc -l)" = "#schema person_support/1:12"

# Post-stratification on benefit x age class. Wave 1 (everyone sampled): each cell has 3
# people and design weights 2+2, 3+3, 4+4, 5+5, so every weight becomes 3/2. Wave 2 (p04
# left): p03 alone carries WW 35-44, weight 3. Wave 3 (p02, p08 left too): p01, p03, p07
# alone in their cells, weight 3; p09, p10 share theirs, 1.5 each. Waves 2 and 3 = wave 3.
cat > want.txt <<'W'
p01 1.5 1.5 3 3
p02 1.5 1.5 - -
p03 1.5 3 3 3
p04 1.5 - - -
p05 - - - -
p06 - - - -
p07 1.5 1.5 3 3
p08 1.5 1.5 - -
p09 1.5 1.5 1.5 1.5
p10 1.5 1.5 1.5 1.5
p11 - - - -
p12 - - - -
W
spec ba.spec "benefit age_class"
for m in "raking" "linear" "linear --bounds 0.25,3.5" "logit --bounds 0.2,3"; do
	calibrate-weights --epsilon 1e-12 --method $m ba.spec pop.csv > out.csv 2> err
	same_line "post-stratification, $m: exit 0" 0 $?
	weights out.csv > got.txt
	same_text "post-stratification, $m: the weights worked out by hand" want.txt got.txt
done

# A missing value is a category: on_benefit_12m 1 (p01 p04 p07 p09 p11), 0 (p02 p05 p08 p10),
# missing (p03 p06 p12). Wave 3 answered by p01 p07 p09 (design weights 2+4+5 for 5 people),
# p10 (5, for 4 people) and p03 (3, for 3 people): g = 5/11, 4/5 and 1.
spec ob.spec "on_benefit_12m"
calibrate-weights --epsilon 1e-12 ob.spec pop.csv > out.csv 2> err
same_line "on_benefit_12m with a missing category: exit 0" 0 $?
weights out.csv | awk '$4 != "-" { print $1, $4 }' > got.txt
printf '%s\n' "p01 $(python3 -c 'print("%.10g" % (2 * 5 / 11))')" "p03 3" "p07 $(python3 -c 'print("%.10g" % (4 * 5 / 11))')" \
	"p09 $(python3 -c 'print("%.10g" % (5 * 5 / 11))')" "p10 4" > want.txt
same_text "on_benefit_12m: the missing cell is calibrated to its own count" want.txt got.txt

# Two margins, benefit x sex and age class: raking is iterative proportional fitting. The
# python3 below rakes wave 1 from the population counts alone, then checks both margins.
# (every set is wave 1 here: wave 3 has no WW woman, which the error tests cover)
spec two.spec "benefit sex" "age_class"
sed -i 's/responded_w[23]\( & responded_w3\)*$/responded_w1/' two.spec
calibrate-weights --epsilon 1e-13 two.spec pop.csv > out.csv 2> err
same_line "benefit x sex and age class: exit 0" 0 $?
python3 - pop.csv out.csv > got.txt <<'PY' || echo "not ok - benefit x sex and age class: the Python check stopped before its end"
import csv, io, sys
def rows(path):
    return list(csv.DictReader(io.StringIO(open(path).read().split("\n", 1)[1], newline="")))
pop, out = rows(sys.argv[1]), rows(sys.argv[2])
margins = [lambda r: (r["benefit"], r["sex"]), lambda r: r["age_class"]]
resp = [r for r in pop if r["responded_w1"] == "1"]
w = {r["person_key"]: float(r["design_weight"]) for r in resp}
for sweep in range(1000):                      # IPF: fit each margin in turn
    for m in margins:
        for cell in {m(r) for r in pop}:
            n = sum(1 for r in pop if m(r) == cell)
            t = sum(w[r["person_key"]] for r in resp if m(r) == cell)
            for r in resp:
                if m(r) == cell:
                    w[r["person_key"]] *= n / t
ours = {r["person_key"]: float(r["calibrated_weight_w1"]) for r in out if r["calibrated_weight_w1"]}
print("same people: %s" % (set(ours) == set(w)))
print("largest relative difference from IPF below 1e-10: %s" % (max(abs(ours[k] - w[k]) / w[k] for k in w) < 1e-10))
for i, m in enumerate(margins):
    worst = max(abs(sum(ours[r["person_key"]] for r in resp if m(r) == cell) - sum(1 for r in pop if m(r) == cell))
                for cell in {m(r) for r in pop})
    print("margin %d met in every cell: %s" % (i + 1, worst < 1e-9))
PY
printf '%s\n' "same people: True" "largest relative difference from IPF below 1e-10: True" \
	"margin 1 met in every cell: True" "margin 2 met in every cell: True" > want.txt
same_text "benefit x sex and age class: raking = IPF, both margins met (the left-out cell too)" want.txt got.txt

# Already calibrated: design weights that add up to the population of every cell stay as
# they are. WW: 3 people, respondents with 1 and 2; WWB: 2 people, one respondent with 2.
cat > exact.txt <<'P'
q1 benefit=ww  design_weight=1 answered=1,2,3
q2 benefit=ww  design_weight=2 answered=1,2,3
q3 benefit=ww  in_sample=0
q4 benefit=wwb design_weight=2 answered=1,2,3
q5 benefit=wwb in_sample=0
P
people exact.txt > exact.csv
spec b.spec "benefit"
printf '%s\n' "q1 1 1 1 1" "q2 2 2 2 2" "q3 - - - -" "q4 2 2 2 2" "q5 - - - -" > want.txt
for m in "raking" "linear" "logit --bounds 0.5,2"; do
	calibrate-weights --epsilon 1e-12 --method $m b.spec exact.csv > out.csv
	weights out.csv > got.txt
	same_text "$m: a set that already meets the totals keeps its design weights" want.txt got.txt
done
done_testing
