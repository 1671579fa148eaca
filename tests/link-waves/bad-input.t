#!/usr/bin/env bash
# Bad input and bad usage: each gets its exact message (file, line, field) and exit code,
# and no person/1 rows are presented as a result.
source "$KETEN_ROOT/tests/lib/tap.sh"
source "$KETEN_ROOT/tests/link-waves/lib.sh"
K=11111111111111111111111111111111

bad() {  # description, exit code, expected stderr, file
	expect_exit "$2" "$1: exit $2" link-waves "$4"
	same_line "$1: message" "$3" "$(cat err)"
	same_line "$1: nothing on stdout" 0 "$(wc -c < out)"
}
ho() { head -2 "$D/ho.csv"; echo "$1"; }

ho "1111,2,2006-04-05,3" > short.csv
bad "a short person_key" 1 "link-waves: short.csv:3: person_key: not 32 lowercase hex digits: 1111" short.csv
ho "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,2,2006-04-05,3" > upper.csv
bad "an upper-case person_key" 1 "link-waves: upper.csv:3: person_key: not 32 lowercase hex digits: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" upper.csv
ho "$K,2,2006-02-30,3" > date.csv
bad "a date that does not exist" 1 "link-waves: date.csv:3: received_date: not a date (yyyy-mm-dd): 2006-02-30" date.csv
ho "$K,2,2006-02-20" > fields.csv
bad "a record with a field missing" 1 "link-waves: fields.csv:3: wrong number of fields: 3, handover_uwv/1 has 4" fields.csv
(head -2 "$D/sample.csv"; echo "R1,$K,2,x,0") > prob.csv
bad "an inclusion probability of 0" 1 "link-waves: prob.csv:3: inclusion_prob: not a probability above 0: 0" prob.csv

mkinput > in.csv
link-waves in.csv > person.csv 2>/dev/null
(cat "$D/app.csv"; cat person.csv) > mixed.csv
# line 18: the header of the person/1 section that follows app.csv's 16 lines
bad "a section link-waves does not read" 1 "link-waves: mixed.csv:18: unexpected section person/1: link-waves reads application/1, handover_uwv/1, benefit_spell/1, sample/1, wave1/1, wave2/1 and wave3/1" mixed.csv

: > empty.csv
bad "an empty input (no sections)" 1 "link-waves: no application/1 section in the input: nothing to link" empty.csv
mkinput ho spell sample w1 w2 w3 > noapp.csv
bad "no application/1 section (R1 left out)" 1 "link-waves: no application/1 section in the input: nothing to link" noapp.csv

gzip -c in.csv | head -c 400 > cut.gz
expect_exit 1 "a truncated gzip stream: exit 1" link-waves cut.gz
has_text "... named as truncated" err '^link-waves: cut\.gz:[0-9]+: truncated gzip stream'
same_line "... nothing on stdout" 0 "$(wc -c < out)"

expect_exit 1 "a missing file: exit 1" link-waves nosuch.csv
same_line "... message" "link-waves: nosuch.csv: cannot open: No such file or directory" "$(cat err)"

expect_exit 2 "a bad --window-start: exit 2" link-waves --window-start 2006-13-01 in.csv
same_line "... message" "link-waves: --window-start: not a date (yyyy-mm-dd): 2006-13-01" "$(head -1 err)"
expect_exit 2 "a window that ends before it starts: exit 2" link-waves --window-start 2006-05-01 in.csv
same_line "... message" "link-waves: --window-start comes after --window-end" "$(head -1 err)"
expect_exit 2 "an unknown option: exit 2" link-waves --bogus in.csv
same_line "... message" "link-waves: unknown option or missing value: --bogus" "$(head -1 err)"
expect_exit 1 "an --unlinked file that cannot be created: exit 1" link-waves --unlinked nodir/u.csv in.csv
same_line "... message" "link-waves: nodir/u.csv: cannot create: No such file or directory" "$(cat err)"

expect_exit 0 "--version" link-waves --version
same_line "... prints name and version" "link-waves ketenmonitor 0.1" "$(cat out)"
expect_exit 0 "--help" link-waves --help
for o in --window-start --window-end --unlinked 2006-03-01 2006-04-30 person/1 unlinked/1 Example; do
	has_text "--help mentions $o" out "$o"
done
