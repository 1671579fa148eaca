#!/usr/bin/env bash
# cohort-tables on hand-made cohort rows (mkrows.py), every expected value worked out by hand
# from doc/cohorts.md: a longer cohort counts each person once with the first month they are
# in; the censoring rule at its boundary (the day of the last member's mark and the day
# after; --month-end next a day later); a Kaplan-Meier curve with a tie of censoring and
# event; disclosure control (primary, complementary handover, a range against its months);
# and the errors (rows out of order, a status missing where the rule says known, bad usage).
. "$KETEN_ROOT/tests/lib/tap.sh"
here=$KETEN_ROOT/tests/cohort-tables
export REC_LEVEL=0
rows() { python3 "$here/mkrows.py" "$@"; }
# fig FILE KIND COHORT BENEFIT ROW MEASURE COLUMNS: the figure's columns (status estimate
# ci_low ci_high se n known_from: 1..7), joined by spaces; an empty one stays empty
fig() {
	awk -F, -v k="$2" -v c="$3" -v b="$4" -v r="$5" -v m="$6" -v cols="$7" \
		'$2 == k && $3 == c && $4 == b && $6 == r && $7 == m {
			n = split(cols, w, " "); s = ""
			for (i = 1; i <= n; i++) s = s (i > 1 ? " " : "") $(7 + w[i])
			print s }' "$1"
}
# val FILE KIND COHORT BENEFIT ROW MEASURE: "status estimate n"
val() { fig "$@" "1 2 6"; }

# --- a range and a quarter count each person once, with the first month they are in ------
# b has a granted application in March and in April; a only in March, c only in April.
rows > combine.csv <<'ROWS'
a 2006-03 ww 2006-03-05 1 1 1 both     14   1 2007-06-01
b 2006-03 ww 2006-03-31 0 0 0 -        2    1 2007-06-01
b 2006-04 ww 2006-04-10 1 1 0 cwi_only 7    1 2007-06-01
c 2006-04 ww 2006-04-30 1 1 1 none     13.1 0 2007-06-01
ROWS
expect_exit 0 "month, quarter and a range of months" cohort-tables --min-n 0 --kind month,quarter \
	--combine 2006-03:2006-04 combine.csv
mv out t.csv
same_line "March: applicants a and b" "known 2 2" "$(val t.csv month 2006-03 ww applicants count)"
same_line "April: applicants b and c" "known 2 2" "$(val t.csv month 2006-04 ww applicants count)"
same_line "the range: a, b and c, b once (not 4)" "known 3 3" "$(val t.csv range 2006-03:2006-04 ww applicants count)"
same_line "the range: on benefit after 3 months a, c - b's March row says 0, not its April 1" \
	"known 2 3" "$(val t.csv range 2006-03:2006-04 ww on_benefit_3m count)"
same_line "the range: the 3-month share 2/3" "known 0.66666666666666663 3" \
	"$(val t.csv range 2006-03:2006-04 ww on_benefit_3m share)"
same_line "the range: handover among a and c (b's March row is off benefit at 6 months)" "known 0.5 2" \
	"$(val t.csv range 2006-03:2006-04 ww both share)"
same_line "the range: no cwi_only (that is b's April claim)" "known 0 2" \
	"$(val t.csv range 2006-03:2006-04 ww cwi_only share)"
same_line "quarter 2006-Q1: a and b (March); Q2: b (April) and c" "known 2 2|known 2 2" \
	"$(val t.csv quarter 2006-Q1 ww applicants count)|$(val t.csv quarter 2006-Q2 ww applicants count)"
same_line "the range's 12-month figure: known from the day after c's mark (2006-04-30 + 12)" \
	"known 2 3 2007-05-01" "$(fig t.csv range 2006-03:2006-04 ww on_benefit_12m count "1 2 6 7")"
# Kaplan-Meier of the range: events at 2 (b) and 14 (a), c censored at 13.1:
# S(1) = 1 (3 at risk), S(2) = 2/3 (3 at risk at 2), S(13) = 2/3 (2 at risk), S(14) = 0 (1 at
# risk); se of S(2) = 2/3 x sqrt(1 / (3 x 2)); S(15) after the last time and not yet known.
same_line "S(1) = 1, 3 at risk" "known 1 3" "$(val t.csv range 2006-03:2006-04 ww on_benefit_1m surv)"
same_line "S(2) = 2/3, 3 at risk, Greenwood se 2/3 sqrt(1/6) = 0.27216552697590868" "known 0.66666666666666663 3 0.27216552697590868" \
	"$(fig t.csv range 2006-03:2006-04 ww on_benefit_2m surv "1 2 6 5")"
same_line "S(13) = 2/3, 2 at risk: known (c's 13-month mark, 2007-05-30, is before the extract)" "known 0.66666666666666663 2" \
	"$(val t.csv range 2006-03:2006-04 ww on_benefit_13m surv)"
same_line "S(14) = 0, 1 at risk: an estimate (c's 14-month mark is after it)" "estimate 0 1" \
	"$(val t.csv range 2006-03:2006-04 ww on_benefit_14m surv)"
same_line "S(15): after the last time, no number" "not_yet_known  " "$(val t.csv range 2006-03:2006-04 ww on_benefit_15m surv)"
same_line "median 14 (S falls to 0 there), lower end 2, upper end not reached: an estimate" "estimate 14 2  3" \
	"$(fig t.csv range 2006-03:2006-04 ww median median "1 2 3 4 6")"

# --- the censoring rule at its boundary -------------------------------------------------
rows > edge.csv <<'ROWS'
x 2006-03 wwb 2006-03-02 1 1 1 - 20 1 2008-01-01
y 2006-03 wwb 2006-03-31 1 1 1 - 20 1 2008-01-01
ROWS
cohort-tables --min-n 0 --extract-date 2006-06-30 edge.csv > on-mark.csv 2>/dev/null
cohort-tables --min-n 0 --extract-date 2006-07-01 edge.csv > after.csv 2>/dev/null
cohort-tables --min-n 0 --extract-date 2006-07-01 --month-end next edge.csv > next.csv 2>/dev/null
same_line "extract on the last member's 3-month mark (2006-03-31 + 3 = 2006-06-30): not yet known" \
	"not_yet_known  " "$(val on-mark.csv month 2006-03 wwb on_benefit_3m share)"
same_line "the day after: known, over both members" "known 1 2" "$(val after.csv month 2006-03 wwb on_benefit_3m share)"
same_line "the 6-month mark of 31 March is 30 September (clamp): known from 1 October" "2006-10-01" \
	"$(fig after.csv month 2006-03 wwb on_benefit_6m share 7)"
same_line "--month-end next: the mark is 1 July, known from 2 July" "not_yet_known 2006-07-02" \
	"$(fig next.csv month 2006-03 wwb on_benefit_3m share "1 7")"
same_line "S(3) is known by the same rule (before it, the curve's estimate)" "estimate known" \
	"$(fig on-mark.csv month 2006-03 wwb on_benefit_3m surv 1) $(fig after.csv month 2006-03 wwb on_benefit_3m surv 1)"

# --decision-lag: the membership of March (last day 03-31) is final 10 (60) days later, on
# 04-11 (05-31): the applicants count is known from then, S(1) from the later of that and
# its mark's day after (05-01)
cohort-tables --min-n 0 --decision-lag 10 --extract-date 2006-04-10 edge.csv > lag10.csv 2>/dev/null
cohort-tables --min-n 0 --decision-lag 60 --extract-date 2006-05-15 edge.csv > lag60.csv 2>/dev/null
same_line "--decision-lag 10, extract 04-10: applicants not yet known, known from 04-11" "not_yet_known 2006-04-11" \
	"$(fig lag10.csv month 2006-03 wwb applicants count "1 7")"
same_line "S(1): known from 05-01 (its mark is later than the membership)" "2006-05-01" \
	"$(fig lag10.csv month 2006-03 wwb on_benefit_1m surv 7)"
same_line "--decision-lag 60: S(1) known from 05-31, so on 05-15 an estimate" "estimate 2006-05-31" \
	"$(fig lag60.csv month 2006-03 wwb on_benefit_1m surv "1 7")"
same_line "the method column names the lag" ";decision_lag=10" "$(awk -F, 'NR == 3 { print $NF }' lag10.csv | grep -o ';decision_lag=[0-9]*')"

# --- disclosure control --------------------------------------------------------------
# May (WW): 20 members on benefit after 6 months - handover none 1, cwi_only 5, uwv_only 6,
# both 8 - and 2 of them still on benefit after 12 months. June: 20 members, 10 after 12.
{
	i=0
	for cat in none cwi_only cwi_only cwi_only cwi_only cwi_only uwv_only uwv_only uwv_only uwv_only uwv_only uwv_only \
		both both both both both both both both; do
		i=$((i + 1)); on12=0; [ $i -gt 18 ] && on12=1
		printf 'm%02d 2006-05 ww 2006-05-02 1 1 %s %s %s 1 2008-01-01\n' $i $on12 $cat $((7 + on12 * 6))
		on12=0; [ $i -gt 10 ] && on12=1
		printf 'n%02d 2006-06 ww 2006-06-02 1 1 %s both %s 1 2008-01-01\n' $i $on12 $((7 + on12 * 6))
	done
} | sort | rows > sdc.csv
expect_exit 0 "--min-n 3 on May and June and their range" cohort-tables --min-n 3 --combine 2006-05:2006-06 sdc.csv
mv out s.csv
same_line "May's 'none' (1 person) is withheld: no number" "suppressed  " "$(val s.csv month 2006-05 ww none share)"
same_line "and the next smallest category with it (cwi_only, 5): none is the rest of the others" "suppressed  " \
	"$(val s.csv month 2006-05 ww cwi_only share)"
same_line "the two larger ones stay: 6/20, 8/20" "known 0.3 20|known 0.4 20" \
	"$(val s.csv month 2006-05 ww uwv_only share)|$(val s.csv month 2006-05 ww both share)"
same_line "May's 12-month count (2) is withheld, its share and S(12) with it" "suppressed suppressed suppressed" \
	"$(fig s.csv month 2006-05 ww on_benefit_12m count 1) $(fig s.csv month 2006-05 ww on_benefit_12m share 1) $(fig s.csv month 2006-05 ww on_benefit_12m surv 1)"
same_line "June's (10) is published" "known 10 20" "$(val s.csv month 2006-06 ww on_benefit_12m count)"
same_line "the range's 12-month count (12) is withheld: 12 - June's 10 would give May's 2" "suppressed" \
	"$(fig s.csv range 2006-05:2006-06 ww on_benefit_12m count 1)"
same_line "the range's 'none' likewise (May's is withheld)" "suppressed" \
	"$(fig s.csv range 2006-05:2006-06 ww none share 1)"
same_line "the range's 6-month count stays (no part withheld)" "known 40 40" "$(val s.csv range 2006-05:2006-06 ww on_benefit_6m count)"
has_text "stderr counts what was withheld" err "withheld on fewer than 3 people, [1-9][0-9]* more to protect them"
no_number=$(awk -F, '$8 == "suppressed" && ($9 != "" || $10 != "" || $11 != "" || $12 != "" || $13 != "")' s.csv | wc -l)
same_line "no suppressed row carries a number" 0 "$no_number"

# --- errors ----------------------------------------------------------------------------
printf 'b 2006-03 ww 2006-03-05 1 1 1 both 14 1 2007-06-01\na 2006-03 ww 2006-03-06 1 1 1 both 14 1 2007-06-01\n' |
	rows > unsorted.csv
expect_exit 1 "rows out of person_key order: exit 1" cohort-tables unsorted.csv
has_text "... naming the line and the order it needs" err "^cohort-tables: unsorted.csv:4: person_key: 6100+ after 6200+: the rows must come in person_key order"
printf 'a 2006-04 ww 2006-04-05 1 1 1 both 14 1 2007-06-01\na 2006-03 ww 2006-03-06 1 1 1 both 14 1 2007-06-01\n' |
	rows > cohorts.csv
expect_exit 1 "a person's cohorts out of order: exit 1" cohort-tables cohorts.csv
has_text "... naming the line" err "^cohort-tables: cohorts.csv:4: cohort: a person's cohorts must come in order"
printf 'a 2006-04 wwb 2006-04-05 1 - - - 14 1 2007-06-01\n' | rows > censored.csv
expect_exit 1 "a member with a spell and no 6-month status where the rule says known: exit 1" cohort-tables censored.csv
has_text "... saying which figure and why" err "^cohort-tables: on_benefit_6m: missing for 1 members with an index spell, while the censoring rule says it is known"
printf 'a 2006-Q1 ww 2006-03-05 1 1 1 both 14 1 2007-06-01 quarter\n' | rows > quarter.csv
expect_exit 1 "months asked of quarter rows: exit 1" cohort-tables quarter.csv
has_text "... saying what makes every kind" err "the input has quarter cohorts, which do not make the month \(link-waves --cohorts month makes every kind\)"
expect_exit 0 "quarter rows make quarters and years" cohort-tables --kind quarter,year quarter.csv
rows cohort_status/1 < /dev/null > status.csv
expect_exit 1 "cohort_status/1 (no handover yet): exit 1" cohort-tables status.csv
has_text "... naming what it reads" err "unexpected section cohort_status/1: cohort-tables reads cohort_support/1"
: > empty.csv
expect_exit 1 "an empty input: exit 1 (the driver's rule)" cohort-tables empty.csv
for bad in "--combine 2006-04:2006-03" "--combine 2006-4:2006-05" "--kind day" "--conf wide" "--level 1" "--min-n -1" \
	"--month-end late" "--extract-date 2006-13-01" "--decision-lag x"; do
	expect_exit 2 "bad usage: $bad" cohort-tables $bad combine.csv
done
has_text "a usage error says what is wanted" err "^cohort-tables: --decision-lag: a whole number from 0: x"
done_testing
