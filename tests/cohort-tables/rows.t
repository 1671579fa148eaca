#!/usr/bin/env bash
# What the stages before cohort-tables add to cohort rows, on hand-made rows (mkrows.py),
# every value worked out by hand:
#   derive-status on cohort_person/1: km_time, calendar months from the application to the
#     spell's end (or to the extract date while it runs: km_ended 0), exact on a month mark;
#   classify-support on cohort_status/1: the handover by the claim rule (the default there:
#     cwi_handover_date up to the 6-month mark, uwv_rows_claim) and by --uwv-known person.
. "$KETEN_ROOT/tests/lib/tap.sh"
here=$KETEN_ROOT/tests/cohort-tables
export REC_LEVEL=0
rows() { python3 "$here/mkrows.py" "$@"; }
# col FILE COLUMN...: the columns of each row, space-separated ('-' for empty)
col() {
	python3 -c '
import csv, sys
for r in csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#")):
    print(" ".join(r[c] or "-" for c in sys.argv[2:]))' "$@"
}

# km_time:
#   a  2006-03-31, ended 2006-09-30: the 6-month mark (31 September does not exist): 6 exactly
#   b  2006-01-15, running on 2006-03-01: 1 month to 02-15, then 14 of the 28 days to 03-15: 1.5
#   c  2006-01-31, ended 2006-02-28: the 1-month mark: 1 exactly
#   d  no spell: both missing
rows cohort_person/1 > person.csv <<'ROWS'
a 2006-03 ww 2006-03-31 - - - - 0 - 2007-01-01 month spell_end=2006-09-30
b 2006-01 ww 2006-01-15 - - - - 0 - 2006-03-01
c 2006-01 wwb 2006-01-31 - - - - 0 - 2007-01-01 month spell_end=2006-02-28
d 2006-01 wwb 2006-01-31 - - - - - - - month spell_start=-
ROWS
expect_exit 0 "derive-status reads cohort_person/1" derive-status person.csv
mv out status.csv
same_line "and writes cohort_status/1" "#schema cohort_status/1" "$(head -1 status.csv)"
same_line "km_time and km_ended, worked out by hand" "6 1|1.5 0|1 1|- -" "$(col status.csv km_time km_ended | paste -sd'|')"
same_line "on_benefit_6m of a: the spell ends on the mark, not after it" "0" "$(col status.csv on_benefit_6m | sed -n 1p)"
ok_if "a valid cohort_status/1 stream (rec-check)" rec-check -q status.csv
rows person/1 < /dev/null > p1.csv
derive-status p1.csv > p1-out.csv
same_line "person/1 still gives person_status/1, without the Kaplan-Meier columns" "#schema person_status/1 h2_applications" \
	"$(head -1 p1-out.csv) $(sed -n 2p p1-out.csv | tr , '\n' | tail -1)"

# the handover, WW applications on 2006-03-01 (6-month mark 2006-09-01):
#   e  CWI 03-10, the claim's UWV row 03-20                  claim both, 9 days;       person both
#   f  CWI 09-02 (after the mark), a UWV row of another claim claim none, no days;     person both, 185 days
#   g  CWI 09-01 (on the mark), two UWV rows, none the claim's claim cwi_only, 184;    person both
#   h  no CWI date, the claim's UWV row 03-29                 claim uwv_only, 28, on time; person uwv_only
#   i  WWB: no handover
rows cohort_status/1 > ho.csv <<'ROWS'
e 2006-03 ww 2006-03-01 1 1 1 - 8 1 2007-06-01 month cwi_handover_date=2006-03-10 uwv_rows=1 uwv_received_date=2006-03-20 uwv_rows_claim=1 uwv_received_claim=2006-03-20
f 2006-03 ww 2006-03-01 1 1 1 - 8 1 2007-06-01 month cwi_handover_date=2006-09-02 uwv_rows=1 uwv_received_date=2005-06-01
g 2006-03 ww 2006-03-01 1 1 1 - 8 1 2007-06-01 month cwi_handover_date=2006-09-01 uwv_rows=2 uwv_received_date=2005-06-01
h 2006-03 ww 2006-03-01 1 1 1 - 8 1 2007-06-01 month uwv_rows=1 uwv_received_date=2006-03-29 uwv_rows_claim=1 uwv_received_claim=2006-03-29
i 2006-03 wwb 2006-03-01 1 1 1 - 8 1 2007-06-01
ROWS
expect_exit 0 "classify-support reads cohort_status/1" classify-support ho.csv
mv out claim.csv
same_line "and writes cohort_support/1" "#schema cohort_support/1" "$(head -1 claim.csv)"
same_line "the claim rule (the default for cohorts)" \
	"both 9 1|none - -|cwi_only 184 0|uwv_only 28 1|- - -" \
	"$(col claim.csv handover_category handover_days handover_on_time | paste -sd'|')"
same_line "support_method says so" "uwv_known=claim" "$(col claim.csv support_method | sed -n 1p | grep -o 'uwv_known=[a-z]*')"
expect_exit 0 "--uwv-known person" classify-support --uwv-known person ho.csv
mv out person.csv
same_line "the study's person rule" "both 9|both 185|both 184|uwv_only 28|- -" \
	"$(col person.csv handover_category handover_days | paste -sd'|')"
same_line "support_method says so" "uwv_known=person" "$(col person.csv support_method | sed -n 1p | grep -o 'uwv_known=[a-z]*')"
done_testing
