#!/usr/bin/env bash
# compare-runs on hand-made table pairs (data/old.csv, data/new.csv): every kind of verdict
# with its answer worked by hand (data/expected-verdicts.txt), a z exactly at the threshold,
# a method change listed first, nothing of a suppressed cell shown, the summary line, the z
# values again from the spec's formula (zcheck.py), the same comparison out of a history,
# the test level as an option.
. "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/compare-runs/data
export REC_LEVEL=0

expect_exit 0 "compare-runs compares two tables.csv" compare-runs --summary summary.txt "$d/old.csv" "$d/new.csv"
cp out changes.csv
same_line "the output is change/1" "#schema change/1" "$(head -n 1 changes.csv)"
# table/row verdict method_changed of every record, in order
awk -F, 'NR > 2 { print $1 "/" $5, $7, $8 }' changes.csv > got-verdicts
grep -v '^#' "$d/expected-verdicts.txt" | awk '{ print $1, $2, $3 }' > want-verdicts
same_text "every cell gets the verdict worked out by hand, method records first, gone cells last" want-verdicts got-verdicts
same_text "the summary line" "$d/expected-summary.txt" summary.txt
same_line "the method record names both tags and counts the table's cells" "contacts=report,contacts=exclude,2" \
	"$(awk -F, '$7 == "method" { print $21 "," $22 "," $23 }' changes.csv)"
# (z is qnorm(0.975) there: GSL's quantile and Python's may differ in the last digit, the
# verdict may not: it is decided in the intervals' units, where the boundary is exact)
same_line "a z exactly at the threshold is beyond" "beyond" "$(awk -F, '$5 == "at_threshold" { print $7 }' changes.csv)"
ok_if "and its z is qnorm(0.975) = 1.959963984540054 (to 1e-12)" awk -F, '$5 == "at_threshold" {
	d = $18 - 1.959963984540054; exit !(d < 1e-12 && d > -1e-12) }' changes.csv
python3 "$KETEN_ROOT/tests/compare-runs/zcheck.py" "$d/old.csv" "$d/new.csv" changes.csv
same_line "newly suppressed: the old side shown, the new side empty" "0.2,0.1,0.3,12,,,," \
	"$(awk -F, '$5 == "suppressed" { print $9 "," $10 "," $11 "," $12 "," $13 "," $14 "," $15 "," $16 }' changes.csv)"
ok_if "a suppressed cell's estimate (0.42), in the input row, is nowhere in the output" sh -c "! grep -q '0\\.42' changes.csv"
same_line "nor its n (7): no field of its record holds it" 0 \
	"$(awk -F, '$5 == "suppressed" { for (i = 1; i <= NF; i++) if ($i == "7") n++ } END { print n + 0 }' changes.csv)"
same_line "no difference or z where a side is suppressed" ",," \
	"$(awk -F, '$5 == "suppressed" || $5 == "unsuppressed" || $5 == "hidden" { s = s $17 $18 "," } END { print substr(s, 1, length(s) - 1) }' changes.csv)"

# The same comparison out of a history of the two runs.
history-stamp --run A --publication 1 --published 2007-01-01T02:30:00Z --code-version v1 --extracts-sha256 aa "$d/old.csv" > history.gz
history-stamp --run B --publication 2 --published 2007-02-01T02:30:00Z --code-version v1 --extracts-sha256 bb "$d/new.csv" >> history.gz
expect_exit 0 "compare-runs reads a history (the last two runs by default)" compare-runs history.gz
same_text "out of the history: the same records" changes.csv out
expect_exit 0 "--list names the runs" compare-runs --list history.gz
same_text "--list: publication, run, published, code, digest, peildatum, cells" \
	<(printf '1 A 2007-01-01T02:30:00Z v1 aa - 14\n2 B 2007-02-01T02:30:00Z v1 bb - 14\n') out
expect_exit 0 "--old B --new A: the other way round" compare-runs --old B --new A history.gz
same_line "the other way round: new and gone swap, suppression swaps" "new unsuppressed suppressed hidden gone" \
	"$(awk -F, '$5 == "new" || $5 == "gone" || $5 == "suppressed" || $5 == "unsuppressed" || $5 == "hidden" { printf "%s%s", s, $7; s = " " }' out)"
expect_exit 1 "a run the history does not hold" compare-runs --new C history.gz
has_text "is named" err 'run C is not in the history'

# The test's level: at --level 0.01 (z 2.576) the threshold cell (z 1.96) is within, the
# clear move (z 4.62) still beyond.
expect_exit 0 "--level 0.01" compare-runs --level 0.01 "$d/old.csv" "$d/new.csv"
same_line "--level 0.01: at_threshold within, beyond still beyond" "within beyond" \
	"$(awk -F, '$5 == "at_threshold" || $5 == "beyond" { printf "%s%s", s, $7; s = " " }' out)"

# Bad input and bad usage
expect_exit 1 "one tables.csv is one run: nothing to compare" compare-runs "$d/old.csv"
has_text "says so" err 'a table/1 stream is one run'
{ cat "$d/new.csv"; tail -n 1 "$d/new.csv"; } > repeated.csv
expect_exit 1 "a cell that repeats in a run" compare-runs "$d/old.csv" repeated.csv
has_text "is named with its line" err 'repeated.csv:17: row: cell m,ww,year,on_benefit_6m,moved,share,1 repeated in run repeated.csv \(first at line 16\)'
expect_exit 1 "a change/1 stream is not a run" compare-runs "$d/old.csv" changes.csv
has_text "says what it reads" err "section change/1: not a run's cells: those are table/1"
: > empty.csv
expect_exit 1 "an empty input" compare-runs "$d/old.csv" empty.csv
has_text "is an error, not an empty comparison" err 'no section in the input'
same_line "and writes nothing" 0 "$(wc -c < out)"
expect_exit 2 "--level outside (0, 1)" compare-runs --level 1.5 "$d/old.csv" "$d/new.csv"
expect_exit 2 "--old with two files" compare-runs --old A "$d/old.csv" "$d/new.csv"
expect_exit 2 "three files" compare-runs "$d/old.csv" "$d/new.csv" "$d/new.csv"
expect_exit 0 "--help" compare-runs --help
has_text "--help names the verdicts and the formula" out 'se = \(ci_high - ci_low\) / \(2 z_q\)'
done_testing
