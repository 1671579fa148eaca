#!/usr/bin/env bash
# tabulate on small hand-made inputs whose answers are worked out by hand below
# (data/hand-people.csv, data/hand-fit.csv, data/hand-coef.csv, data/hand.spec).
# Numbers are compared rounded to 7 decimals; the Wilson and survey values were also
# checked with R (prop.test(k, n, correct = FALSE); svymean on subset(svydesign(...))).
source "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/tabulate/data
{
	python3 "$d/mksection.py" "$d/hand-people.csv"
	python3 "$d/mksection.py" model_fit/1 "$d/hand-fit.csv"
	python3 "$d/mksection.py" model_coef/1 "$d/hand-coef.csv"
} > hand.csv

expect_exit 0 "tabulate runs on the hand-made stream" env REC_LEVEL=0 tabulate "$d/hand.spec" hand.csv
mv out t.csv
same_line "a failed model is reported on stderr" \
	"tabulate: table effects: model fig2_h2_ww failed (separation:h1_any_support): its cells are empty" "$(cat err)"

# cell FILE TABLE ROW MEASURE [WEIGHTED] [PERIOD] -> "estimate ci_low ci_high n suppressed symbol"
cell() {
	awk -F, -v t="$2" -v r="$3" -v m="$4" -v w="${5:-}" -v p="${6:-}" '
	function f(x) { return x == "" ? "." : sprintf("%.7f", x) }
	$1 == t && $5 == r && $6 == m && (w == "" || $12 == w) && (p == "" || $3 == p) {
		print f($7), f($8), f($9), $10, $11, ($13 == "" ? "." : $13) }' "$1"
}

# 1. unweighted registry share, Wilson: 10 of the 46 WW persons on benefit at 6 months
#    have a large distance. p = 10/46 = 0.2173913; z = 1.959964, z2/n = 0.0835112;
#    centre = (p + z2/2n) / (1 + z2/n) = 0.2391730; half = z/(1+z2/n) sqrt(p(1-p)/n + z2/4n^2)
#    = 0.1165639 -> 0.1226091 .. 0.3557369
same_line "unweighted share with its Wilson interval" \
	"0.2173913 0.1226091 0.3557369 46 0 ." "$(cell t.csv reg large_distance share)"

# 2. weighted share, design-based: WWB respondents, stratum A (w 10): y 1 0 1; stratum B
#    (w 20): y 1 0, plus one B person in the sample who did not respond (outside the domain,
#    inside the design). R = (10+10+20)/(30+40) = 4/7. z_i = w (y - R)/70:
#    A: 3/49, -4/49, 3/49 -> n_h/(n_h-1) sum (z - zbar)^2 = 3/2 * 6/441 = 1/49;
#    B: 6/49, -8/49, 0    -> 3/2 * 888/21609 = 1332/21609.  V = 1773/21609, se = 0.2864421;
#    CI = 4/7 +- 1.959964 se = 0.0100121 .. 1.1328450 (as svymean + confint)
env REC_LEVEL=0 tabulate --min-n 0 --tables wshare,hours "$d/hand.spec" hand.csv > w.csv
same_line "weighted share with its design-based interval" \
	"0.5714286 0.0100121 1.1328450 5 0 ." "$(cell w.csv wshare any_support share 1)"
env REC_LEVEL=0 tabulate --min-n 0 --weights none --tables wshare,hours "$d/hand.spec" hand.csv > u.csv
#    unweighted: 3 of 5, Wilson 0.2307243 .. 0.8823792
same_line "the same share unweighted (--weights none): Wilson" \
	"0.6000000 0.2307243 0.8823792 5 0 ." "$(cell u.csv wshare any_support share 0)"

# 3. mean hours with zeros for people not looking: the respondents answered 0 (not looking),
#    10, missing (left out), 0, 20. Unweighted: 30/4 = 7.5, sd^2 = 275/3, se = sd/2 =
#    4.7871355 -> 7.5 +- 9.3826132. Weighted: (10*0 + 10*10 + 20*0 + 20*20)/60 = 8.3333333;
#    z = w (h - 25/3)/60: A -25/18, 5/18, 0; B -25/9, 35/9, 0 -> V = 36.0339906 (se 6.0028319)
same_line "unweighted mean counts the zeros, leaves the missing out" \
	"7.5000000 -1.8826132 16.8826132 4 0 ." "$(cell u.csv hours all mean 0)"
same_line "weighted mean with its design-based interval" \
	"8.3333333 -3.4319944 20.0986611 4 0 ." "$(cell w.csv hours all mean 1)"

# 4. suppression: 6 WWB persons < --min-n 10 -> hidden but n kept; with --min-n 5 shown (1/6)
same_line "a cell on fewer than --min-n people is suppressed" ". . . 6 1 ." "$(cell t.csv small large_distance share)"
env REC_LEVEL=0 tabulate --min-n 5 --tables small "$d/hand.spec" hand.csv > m5.csv
same_line "--min-n 5 shows it" "0.1666667 0.0300534 0.5635028 6 0 ." "$(cell m5.csv small large_distance share)"
same_line "the weighted share on 5 people is suppressed at the default --min-n" \
	". . . 5 1 ." "$(cell t.csv wshare any_support share)"

# 5. complementary suppression in a distribution: handover categories of 46 persons:
#    none 3 (< 10: suppressed), cwi_only 12, uwv_only 11, both 20. With none hidden it
#    would be 1 - the rest, so the smallest other category (uwv_only, 11) goes too.
same_line "dist: the small category is suppressed" ". . . 46 1 ." "$(cell t.csv handover none share)"
same_line "dist: the next smallest category is suppressed as its complement" ". . . 46 1 ." "$(cell t.csv handover uwv_only share)"
same_line "dist: cwi_only stays: 12/46" "0.2608696 0.1560089 0.4025915 46 0 ." "$(cell t.csv handover cwi_only share)"
same_line "dist: both stays: 20/46" "0.4347826 0.3020926 0.5775257 46 0 ." "$(cell t.csv handover both share)"

# 6. linked rows: uwv_unknown = none + cwi_only. none (n 3) is suppressed; of the other two
#    the smaller (cwi_only, n 12 < uwv_unknown 15) is suppressed too; `both` is not linked.
same_line "linked: none suppressed" ". . . 3 1 ." "$(cell t.csv linked none share)"
same_line "linked: cwi_only suppressed as the complement" ". . . 12 1 ." "$(cell t.csv linked cwi_only share)"
same_line "linked: uwv_unknown shown (2 of 15)" "0.1333333 0.0373613 0.3788198 15 0 ." "$(cell t.csv linked uwv_unknown share)"
same_line "linked: an unlinked row is left alone (1 of 20)" "0.0500000 0.0088814 0.2361312 20 0 ." "$(cell t.csv linked both share)"

# 7. fig2-style effects: significant terms (p < 0.05) age_class:under_25 (AME -0.10),
#    h1_asked_help (0.20), h1_obligation:yes (0.04); large_distance p = 0.2 is not. Scaled by
#    the largest |AME| 0.20: -0.5, 1, 0.2; the half-year prefix goes from the row id.
same_line "effects: age under 25 = -0.10/0.20" "-0.5000000 . . 600 0 -" "$(cell t.csv effects age_class:under_25 ame_scaled)"
same_line "effects: the largest effect is 1" "1.0000000 . . 600 0 +" "$(cell t.csv effects asked_help ame_scaled)"
same_line "effects: obligation:yes = 0.04/0.20" "0.2000000 . . 600 0 +" "$(cell t.csv effects obligation:yes ame_scaled)"
same_line "effects: not significant -> no bar, no sign" ". . . 600 0 ." "$(cell t.csv effects large_distance ame_scaled)"
#    the raw AME with its interval 0.20 +- 1.959964 * 0.05
same_line "effects: raw ame with its interval" "0.2000000 0.1020018 0.2979982 600 0 +" "$(cell t.csv effects asked_help ame)"
same_line "effects: an aliased term has no estimate" ". . . 600 0 ." "$(cell t.csv effects obligation:dont_know ame)"
same_line "effects: a model on fewer than --min-n people is suppressed" ". . . 8 1 ." "$(cell t.csv effects sex:male ame_scaled)"
ok_if "effects: no (Intercept) row" sh -c '! grep -q "Intercept" t.csv'

# 8. table1 symbols (legend: ++ positive on all three outcomes, + on one or two, - negative):
#    advice: looking H1 +, hours H2 +, applications H1 + (looking H2 aliased)  -> ++
#    own_business: looking H1 + only                                          -> +
#    help_applying: hours H1 +, applications H2 +                             -> +
#    programme: applications H1 - only                                        -> -
#    training: looking H1 p = 0.05 exactly (not < 0.05), nothing else         -> (blank)
#    contacts: looking H1 +, hours H2 -                                       -> +/-
#    n = the smallest model n (380); weighted: every model is.
for pair in advice:++ own_business:+ help_applying:+ programme:- training:. contacts:+/-; do
	form=${pair%%:*} sym=${pair#*:}
	same_line "table1 symbol for $form" ". . . 380 0 $sym" "$(cell t.csv symbols "$form" symbol)"
done
same_line "table1: the estimate behind a symbol (advice, hours, H2: 1.1 +- 1.96 * 0.4)" \
	"1.1000000 0.3160144 1.8839856 400 0 +" "$(cell t.csv symbols advice:hours ame "" h2)"
env REC_LEVEL=0 tabulate --alpha 0.06 --tables symbols "$d/hand.spec" hand.csv > a6.csv
same_line "--alpha 0.06 makes training's p = 0.05 count: +" ". . . 380 0 +" "$(cell a6.csv symbols training symbol)"
has_text "symbol cells name the models' populations" t.csv '^symbols,ww,year,on_benefit_3m\+on_benefit_6m,advice,symbol,'

# 9. contrasts: the contrast:all_vs_contacts row of the hours model, its own interval
same_line "hours contrast with the model's interval" "1.2000000 0.2200000 2.1800000 500 0 +" "$(cell t.csv contrast all_vs_contacts difference)"

# 10. method column: support_method for people cells, spec_hash for model cells
has_text "people cells carry support_method" t.csv '^reg,.*,contacts=report;dont_know=no;carryover=yes;on_time=28$'
has_text "model cells carry the spec hash" t.csv '^contrast,.*,bbbb000000000002$'
done_testing
