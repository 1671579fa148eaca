#!/usr/bin/env bash
# link-waves --cohorts on the hand-made sections of rules.t (data/*.csv; the persons are
# described there), every expected row worked out by hand from doc/cohorts.md: a person is in
# every cohort in whose window they have a granted application, with the study's rules
# applied to that window.
#
# K1 has granted applications on 02-28 (line 8, ww), 03-20 (lines 5 ww and 6 wwb: the tie
#    goes to line 5) and 04-15 (line 2, ww); refused ones on 01-05 (3), 03-20 (4 and 9) and
#    04-30 (7). Month rows: 2006-02 (line 8; 1 refused before: line 3), 2006-03 (line 5; 2:
#    lines 3, 4), 2006-04 (line 2; 3: lines 3, 4, 9). Index spells (ww: 03-01..03-15,
#    04-01..10-15, 2007-01-01 running): 03-01 for February, 04-01 for March, 2007-01-01 for
#    April. UWV rows 04-05 and 04-10: both within February's and March's six months (to
#    08-28, 09-20), none from 04-15 on: uwv_rows_claim 2, 2, 0. Sample R001 on every row.
# K2 granted wwb 04-30: 2006-04. K3 granted ww 05-01 (outside the study's window, so a
#    cohort row here): 2006-05, its spell starts 03-10, before it: no index spell; its UWV row
#    (03-20) is before the claim; R003 and its wave-1 row are linked now. K5: 2006-03.
# With --from 2006-03 --to 2006-04: K1's February row goes (its application counts as
# other), K3 is unlinked (no granted application filed 2006-03-01..2006-04-30).
source "$KETEN_ROOT/tests/lib/tap.sh"
source "$KETEN_ROOT/tests/link-waves/lib.sh"
mkinput > in.csv
# cols FILE: person, cohort and the columns the cases are about, a row per line
cols() {
	python3 -c '
import csv, sys
rows = csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#"))
for r in rows:
    print(" ".join([r["person_key"][:2], r["cohort_kind"], r["cohort"]] + [r[c] or "-" for c in (
        "application_line", "n_refused_before", "benefit", "spell_start", "spell_end", "cwi_handover_date",
        "uwv_rows", "uwv_received_date", "uwv_rows_claim", "uwv_received_claim", "in_sample", "responded_w1")]))' "$1"
}

expect_exit 0 "--cohorts month on the hand-made sections" link-waves --cohorts month --unlinked unl.csv in.csv
mv out month.csv; mv err month.err
same_line "one cohort_person/1 section" "#schema cohort_person/1" "$(head -1 month.csv)"
cat > want.txt <<'ROWS'
11 month 2006-02 8 1 ww 2006-03-01 2006-03-15 - 2 2006-04-05 2 2006-04-05 1 1
11 month 2006-03 5 2 ww 2006-04-01 2006-10-15 2006-03-30 2 2006-04-05 2 2006-04-05 1 1
11 month 2006-04 2 3 ww 2007-01-01 - - 2 2006-04-05 0 - 1 1
22 month 2006-04 10 0 wwb - - - 0 - 0 - 0 0
33 month 2006-05 21 1 ww - - - 1 2006-03-20 0 - 1 1
55 month 2006-03 30 0 ww 2006-03-05 2006-06-30 2006-03-03 1 2006-03-09 1 2006-03-09 0 0
ROWS
cols month.csv > got.txt
same_text "a row per person and month, in person_key then cohort order, each with its window's index" want.txt got.txt
ok_if "a valid cohort_person/1 stream (rec-check)" rec-check -q month.csv
cat > want.txt <<'ERR'
link-waves: application/1: 14 read, 6 index, 7 other of linked persons, 1 unlinked (duplicate_key 1)
link-waves: handover_uwv/1: 6 read, 4 linked, 2 unlinked (handover_without_application 1, duplicate_key 1)
link-waves: benefit_spell/1: 11 read, 4 index, 4 other of linked persons, 3 unlinked (spell_without_application 1, overlapping_spells 2)
link-waves: sample/1: 5 read, 2 linked, 3 unlinked (sample_without_application 1, duplicate_key 2)
link-waves: wave1/1: 3 read, 2 linked, 1 unlinked (wave_not_in_sample 1)
link-waves: wave2/1: 3 read, 1 linked, 2 unlinked (sample_without_application 1, duplicate_key 1)
link-waves: wave3/1: 2 read, 1 linked, 1 unlinked (duplicate_key 1)
link-waves: cohort_person/1: 6 rows written for 4 persons, 2 in the sample, responded: wave 1 2, wave 2 1, wave 3 1
ERR
counts month.err > got.txt
same_text "stderr: rows read = index + other + unlinked; a spell two cohorts share counts once; persons once" want.txt got.txt

expect_exit 0 "--cohorts month --from 2006-03 --to 2006-04" link-waves --cohorts month --from 2006-03 --to 2006-04 --unlinked unl2.csv in.csv
mv out range.csv
same_line "K1's March and April rows, K2, K5" "11 2006-03|11 2006-04|22 2006-04|55 2006-03" \
	"$(cols range.csv | awk '{ printf "%s%s %s", s, $1, $3; s = "|" }')"
has_text "K3 is unlinked: no granted application in the months asked for" unl2.csv \
	'^application/1,21,3333.*,no_index_application,the person has no granted application filed 2006-03-01..2006-04-30$'
expect_exit 0 "--cohorts quarter" link-waves --cohorts quarter in.csv
same_line "quarters: K1's Q1 index is February's (line 8), Q2's April's (line 2)" \
	"11 quarter 2006-Q1 8|11 quarter 2006-Q2 2|22 quarter 2006-Q2 10|33 quarter 2006-Q2 21|55 quarter 2006-Q1 30" \
	"$(cols out | awk '{ printf "%s%s %s %s %s", s, $1, $2, $3, $4; s = "|" }')"
expect_exit 0 "--cohorts year" link-waves --cohorts year in.csv
same_line "a year: each person once, with the first granted application of the year" "11 2006 8|22 2006 10|33 2006 21|55 2006 30" \
	"$(cols out | awk '{ printf "%s%s %s %s", s, $1, $3, $4; s = "|" }')"
# order of the sections does not matter (as for person/1)
expect_exit 0 "sections in another order" link-waves --cohorts month <(mkinput w3 spell sample ho w1 app w2)
cmp -s out month.csv && echo "ok - the same rows whatever the order of the sections" ||
	echo "not ok - the same rows whatever the order of the sections"

for bad in "--cohorts week" "--cohorts month --from 2006-13" "--cohorts quarter --from 2006-02" \
	"--cohorts year --to 2006-06" "--cohorts month --from 2006-05 --to 2006-04" "--from 2006-03" \
	"--cohorts month --window-start 2006-03-01"; do
	expect_exit 2 "bad usage: $bad" link-waves $bad in.csv
done
has_text "a usage error says why" err "^link-waves: --window-start and --window-end go without --cohorts \(use --from, --to\)$"
done_testing
