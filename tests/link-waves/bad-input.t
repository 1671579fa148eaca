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

# Values are checked against the schema before anything else, field by field from the
# left, with the library's words (schemas/application-1.schema etc. give the rules).
app() { head -2 "$D/app.csv"; echo "$1"; }
sp() { head -2 "$D/spell.csv"; echo "$1"; }
app "$K,2,1970-02-30,m,native,higher,2006-04-15,ww,1,granted,2006-04-20,,0101" > two.csv
bad "two bad values: the first one is named" 1 "link-waves: two.csv:3: birth_date: not a date (yyyy-mm-dd): 1970-02-30" two.csv
app "AAAA,2,1970-05-05,male,native,higher,2006-04-15,ww,1,granted,2006-04-31,,0101" > keydate.csv
bad "a bad key and a bad date: the key comes first (person_key is the schema's hex32)" 1 "link-waves: keydate.csv:3: person_key: not 32 lowercase hex digits: AAAA" keydate.csv
app "$K,0,1970-05-05,male,native,higher,2006-04-15,ww,1,granted,2006-04-20,,0101" > line0.csv
bad "source_line 0" 1 "link-waves: line0.csv:3: source_line: out of range [1,]: 0" line0.csv
app "$K,-2,1970-05-05,male,native,higher,2006-04-15,ww,1,granted,2006-04-20,,0101" > lineneg.csv
bad "a negative source_line" 1 "link-waves: lineneg.csv:3: source_line: out of range [1,]: -2" lineneg.csv
app "$K,2,1970-05-05,male,native,higher,2006-04-15,ww,5,granted,2006-04-20,,0101" > phase.csv
bad "phase 5" 1 "link-waves: phase.csv:3: phase: out of range [1,4]: 5" phase.csv
app "$K,2,1970-05-05,male,native,higher,2006-04-15,ww,1,granted,2006-04-20,," > office.csv
bad "no office" 1 "link-waves: office.csv:3: office: missing required value" office.csv
app "$K,2,1970-05-05,male,native,higher,2006-04-15,ww,1,granted,2006-04-20,,0101" > app.csv
app ",2,1970-05-05,male,native,higher,2006-04-15,ww,1,granted,2006-04-20,,0101" > nokey.csv
bad "no person_key" 1 "link-waves: nokey.csv:3: person_key: missing required value" nokey.csv
(cat app.csv; sp "$K,3,ww,2006-04-16,2006-05-01,Work,2007-06-30") > reason.csv
bad "an end_reason in capitals" 1 "link-waves: reason.csv:6: end_reason: not one of the codes of end_reason: Work" reason.csv
(cat app.csv; sp "$K,3,ww,2006-04-16,,,2007-06-31") > extract.csv
bad "a bad date in the last field" 1 "link-waves: extract.csv:6: extract_date: not a date (yyyy-mm-dd): 2007-06-31" extract.csv
# A source_line of 16 digits is an integer to the schema (up to 18 digits), read as its
# value: the same person/1 and unlinked/1 as the plain number.
(cat app.csv; sp "$K,3,ww,2006-04-16,,,2007-06-30") > plain.csv
(app "$K,0000000000000002,1970-05-05,male,native,higher,2006-04-15,ww,1,granted,2006-04-20,,0101"
 sp "$K,0000000000000003,ww,2006-04-16,,,2007-06-30") > zeros.csv
link-waves --unlinked plain-unl.csv plain.csv > plain-out.csv 2>/dev/null
expect_exit 0 "source_line with 16 digits (leading zeros): accepted" link-waves --unlinked zeros-unl.csv zeros.csv
mv out zeros-out.csv
same_text "... the same person/1 as the plain number" plain-out.csv zeros-out.csv
same_text "... the same unlinked/1" plain-unl.csv zeros-unl.csv
has_text "... one person written" err "person/1: 1 persons written"

mkinput > in.csv
link-waves in.csv > person.csv 2>/dev/null
(cat "$D/app.csv"; cat person.csv) > mixed.csv
# line 18: the header of the person/1 section that follows app.csv's 16 lines
bad "a section link-waves does not read" 1 "link-waves: mixed.csv:18: unexpected section person/1: link-waves reads application/1, handover_uwv/1, benefit_spell/1, sample/1, wave1/1, wave2/1 and wave3/1" mixed.csv

: > empty.csv
bad "an empty input (no sections)" 1 "link-waves: empty.csv: no section in the input: an empty stream (did an earlier stage fail?)" empty.csv
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
same_line "... message" "link-waves: unknown option '--bogus'" "$(head -1 err)"
expect_exit 1 "an --unlinked file that cannot be created: exit 1" link-waves --unlinked nodir/u.csv in.csv
same_line "... message" "link-waves: nodir/u.csv: cannot create: No such file or directory" "$(cat err)"

# Its reader gone while SIGPIPE is ignored (a caller that ignores it): the write error, said
# once, exit 1; no counts (the persons not written were never counted: this was an abort on
# "BUG: ... read but ... accounted for") and no unlinked file beside a cut stream.
synth --persons 40000 --seed 3 --out world > /dev/null
ingest --key-file world/pseudonym.key world/cwi_aanvragen.csv world/uwv_overdracht.csv world/uitkeringen.csv \
	> ingested 2> /dev/null
env --ignore-signal=PIPE bash -c 'link-waves --unlinked unl.csv < ingested 2> err | true; exit ${PIPESTATUS[0]}'
same_line "reader gone, SIGPIPE ignored: exit 1" 1 $?
same_line "... message" "link-waves: write error: stdout: Broken pipe" "$(cat err)"
ok_if "... and no unlinked file" test ! -e unl.csv

expect_exit 0 "--version" link-waves --version
same_line "... prints name and version" "link-waves ketenmonitor 0.1" "$(cat out)"
expect_exit 0 "--help" link-waves --help
for o in --window-start --window-end --unlinked 2006-03-01 2006-04-30 person/1 unlinked/1 Example; do
	has_text "--help mentions $o" out "$o"
done
done_testing
