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
	"tabulate: table effects: model fig2_h2_ww failed (separation:h1_any_support): its cells are empty" "$(head -1 err)"
# the hand-made model fits claim more people (n 600, ...) than the 52 WW persons here: the
# audit says so once and does not use a bound that is false for them
has_text "the audit names the model fits that cannot come from these people" err \
	'^tabulate: audit: models with an n above .*: fig2_h1_ww, fig5_h1_wwb, table1_looking_h1_ww, .*table1_applications_h2_ww; audited without that bound$'

# cell FILE TABLE ROW MEASURE [WEIGHTED] [PERIOD] -> "estimate ci_low ci_high n suppressed symbol"
cell() {
	awk -F, -v t="$2" -v r="$3" -v m="$4" -v w="${5:-}" -v p="${6:-}" '
	function f(x) { return x == "" ? "." : sprintf("%.7f", x) }
	$1 == t && $5 == r && $6 == m && (w == "" || $12 == w) && (p == "" || $3 == p) {
		print f($7), f($8), f($9), ($10 == "" ? "." : $10), $11, ($13 == "" ? "." : $13) }' "$1"
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

# 4. suppression: 6 WWB persons < --min-n 10 -> hidden, n too; with --min-n 5 shown (1/6)
same_line "a cell on fewer than --min-n people is suppressed, its n with it" ". . . . 1 ." "$(cell t.csv small large_distance share)"
env REC_LEVEL=0 tabulate --min-n 5 --tables small "$d/hand.spec" hand.csv > m5.csv
same_line "--min-n 5 shows it" "0.1666667 0.0300534 0.5635028 6 0 ." "$(cell m5.csv small large_distance share)"
same_line "the weighted share on 5 people is suppressed at the default --min-n" \
	". . . . 1 ." "$(cell t.csv wshare any_support share)"

# 5. complementary suppression in a distribution: handover categories of 46 persons:
#    none 3 (< 10: suppressed), cwi_only 12, uwv_only 11, both 20. With none hidden it
#    would be 1 - the rest, so the smallest other category (uwv_only, 11) goes too.
same_line "dist: the small category is suppressed" ". . . . 1 ." "$(cell t.csv handover none share)"
same_line "dist: the next smallest category is suppressed as its complement" ". . . . 1 ." "$(cell t.csv handover uwv_only share)"
same_line "dist: both stays: 20/46" "0.4347826 0.3020926 0.5775257 46 0 ." "$(cell t.csv handover both share)"

# 6. linked rows: uwv_unknown = none + cwi_only. none (n 3) is suppressed; of the other two
#    the smaller (cwi_only, n 12 < uwv_unknown 15) is suppressed too; `both` is not linked.
same_line "linked: none suppressed" ". . . . 1 ." "$(cell t.csv linked none share)"
same_line "linked: cwi_only suppressed as the complement" ". . . . 1 ." "$(cell t.csv linked cwi_only share)"
same_line "linked: an unlinked row is left alone (1 of 20)" "0.0500000 0.0088814 0.2361312 20 0 ." "$(cell t.csv linked both share)"

# 6a. across the two tables: every WW person here answered h2_any_support, so the linked
#    table's uwv_unknown n (15 = none + cwi_only) and handover's cwi_only (12 of 46) would
#    give none = 15 - 12 = 3 exactly, and then uwv_only = 46 - 20 - 15 = 11. The audit
#    withholds the smaller count that pins it (cwi_only, 12), and then uwv_unknown (15),
#    which with both (20) and the total (46) still pinned uwv_only. Left: none + cwi_only +
#    uwv_only = 26 in both tables, so each lies in [0, 26] (26 wide, >= --protection 10).
same_line "audit: handover cwi_only suppressed (linked uwv_unknown - cwi_only = none)" ". . . . 1 ." "$(cell t.csv handover cwi_only share)"
same_line "audit: linked uwv_unknown suppressed (46 - 20 - 15 = uwv_only)" ". . . . 1 ." "$(cell t.csv linked uwv_unknown share)"
has_text "audit: the summary names the two suppressions it added" err '^tabulate: audit: [0-9]+ withheld counts, none can be narrowed to less than [0-9]+ people \(--protection 10\); 2 more suppressions by the audit$'
expect_exit 1 "audit: --secondary link (only the linked sets) fails on it" env REC_LEVEL=0 tabulate --secondary link --csv l.csv "$d/hand.spec" hand.csv
same_line "audit: the failure names table, benefit, period, population, row and the interval" \
	"tabulate: audit: table handover, benefit ww, period year, population on_benefit_6m, row none: the published figures narrow its category count to [3, 3], less than --protection 10 wide (nothing written)" \
	"$(tail -1 err)"
ok_if "audit: a failed audit writes nothing (no l.csv, no l.csv.partial)" sh -c '! ls l.csv* 2>/dev/null'
env REC_LEVEL=0 tabulate --no-audit --tables handover,linked "$d/hand.spec" hand.csv > na.csv 2> na.err
same_line "--no-audit: only the linked sets (handover cwi_only shown, 12 of 46)" "0.2608696 0.1560089 0.4025915 46 0 ." "$(cell na.csv handover cwi_only share)"
same_line "--no-audit: nothing said about an audit" 0 "$(grep -c audit na.err)"

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
same_line "effects: a model on fewer than --min-n people is suppressed, its n too" ". . . . 1 ." "$(cell t.csv effects sex:male ame_scaled)"
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

# 11. --round-base: counts shown as multiples (halves up), estimates stay exact:
#     46 -> (46 + 2) / 5 * 5 = 45 with base 5; (46 + 5) / 10 * 10 = 50 with base 10
env REC_LEVEL=0 tabulate --round-base 5 --tables reg "$d/hand.spec" hand.csv > r5.csv
same_line "--round-base 5: n 46 shown as 45, the share 10/46 unchanged" "0.2173913 0.1226091 0.3557369 45 0 ." "$(cell r5.csv reg large_distance share)"
env REC_LEVEL=0 tabulate --round-base 10 --tables reg "$d/hand.spec" hand.csv > r10.csv
same_line "--round-base 10: n 46 shown as 50" "0.2173913 0.1226091 0.3557369 50 0 ." "$(cell r10.csv reg large_distance share)"

# 12. an empty category is protected like any other: 65 WW persons at 6 months, none 0,
#     cwi_only 20, uwv_only 15, both 30. none (0 < 10) goes, and uwv_only (15) as its
#     complement; none + uwv_only = 65 - 20 - 30 = 15, so none lies in [0, 15]: 15 wide,
#     enough for --protection 10. (That nobody is in `none` is not something a reader can
#     know: the audit gives the empty set a phantom person instead of taking it as 0.)
#     With --protection 20 that is too narrow: the audit also withholds the smallest count
#     bounding it, cwi_only (20); then none + uwv_only + cwi_only = 35.
python3 - > empty.csv <<'PY' || echo "not ok - empty category: the Python that writes its rows stopped before its end"
print('benefit,on_benefit_6m,handover_category')
for cat, n in (('cwi_only', 20), ('uwv_only', 15), ('both', 30)):
    print('\n'.join(['ww,1,' + cat] * n))
PY
printf 'table e\n  title.nl E\n  title.en E\n  benefit ww\n  weights none\n  panel year on_benefit_6m\n    dist handover_category\nend\n' > empty.spec
python3 "$d/mksection.py" empty.csv > empty-people.csv
expect_exit 0 "empty category: tabulate passes the audit" env REC_LEVEL=0 tabulate empty.spec empty-people.csv
mv out e10.csv
same_line "empty category: none and its complement uwv_only suppressed, the rest shown" \
	"none 1|cwi_only 0|uwv_only 1|both 0" "$(awk -F, 'NR > 2 { print $5, $11 }' e10.csv | paste -sd'|')"
has_text "empty category: the audit found the narrowest withheld count 15 wide" err \
	'^tabulate: audit: 2 withheld counts, none can be narrowed to less than 15 people \(--protection 10\); 0 more suppressions by the audit$'
expect_exit 0 "empty category, --protection 20: passes after one more suppression" \
	env REC_LEVEL=0 tabulate --protection 20 empty.spec empty-people.csv
mv out e20.csv
same_line "empty category, --protection 20: cwi_only withheld too, both (30) shown" \
	"none 1|cwi_only 1|uwv_only 1|both 0" "$(awk -F, 'NR > 2 { print $5, $11 }' e20.csv | paste -sd'|')"
has_text "empty category, --protection 20: 35 wide, one more suppression" err \
	'^tabulate: audit: 3 withheld counts, none can be narrowed to less than 35 people \(--protection 20\); 1 more suppressions by the audit$'

# 13. a phantom keeps the nesting the data shows. 55 WW persons: 5 who left benefit before
#     6 months and answered wave 3 (first in the file: a table of their own, too small to
#     show), 12 on benefit at 6 (not 12) months who answered, 18 at 6 months who did not,
#     20 at 12 months who did not. Published: the 6-month block 50, its respondents 12, the
#     12-month block 20; the 12-month respondents (nobody) are suppressed. A reader knows
#     12-month people are 6-month people, so that count lies in [0, min(12, 20)] = [0, 12]:
#     at --protection 15 too narrow, and the audit must also withhold the 6-month
#     respondents (12). A phantom made from the first person who answered (off benefit at 6
#     months) would sit outside every published count but the 12-month block and make it
#     look like [0, 20]; the phantom is made from a person who keeps 12 <= 6 months.
python3 - > nest.csv <<'PY' || echo "not ok - nested populations: the Python that writes their rows stopped before its end"
print('benefit,on_benefit_3m,on_benefit_6m,on_benefit_12m,responded_w3')
for row, n in (('ww,1,0,0,1', 5), ('ww,1,1,0,1', 12), ('ww,1,1,0,0', 18), ('ww,1,1,1,0', 20)):
    print('\n'.join([row] * n))
PY
{
	printf 'table u\n  title.nl U\n  title.en U\n  benefit ww\n  weights none\n  panel year all on_benefit_6m=0\n    row gone count\nend\n'
	printf 'table t\n  title.nl T\n  title.en T\n  benefit ww\n  weights none\n  panel year on_benefit_6m\n    row resp count where responded_w3\n  panel year on_benefit_12m\n    row resp count where responded_w3\nend\n'
} > nest.spec
python3 "$d/mksection.py" nest.csv > nest-people.csv
expect_exit 0 "nesting: tabulate passes the audit at --protection 15" env REC_LEVEL=0 tabulate --protection 15 nest.spec nest-people.csv
same_line "nesting: both respondent counts withheld (12 months: 0; 6 months: 12, bounding it)" \
	"u all . 1|t on_benefit_6m . 1|t on_benefit_12m . 1" \
	"$(awk -F, 'NR > 2 { print $1, $4, ($10 == "" ? "." : $10), $11 }' out | paste -sd'|')"
env REC_LEVEL=0 tabulate --protection 12 nest.spec nest-people.csv > nest12.csv 2> /dev/null
same_line "nesting: at --protection 12 the interval [0, 12] is wide enough, 12 shown" \
	"u all . 1|t on_benefit_6m 12 0|t on_benefit_12m . 1" \
	"$(awk -F, 'NR > 2 { print $1, $4, ($10 == "" ? "." : $10), $11 }' nest12.csv | paste -sd'|')"
done_testing
