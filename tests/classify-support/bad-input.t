#!/usr/bin/env bash
# Bad input and bad usage: the exact message (file, line, field) and exit code.
source "$KETEN_ROOT/tests/lib/tap.sh"
source "$KETEN_ROOT/tests/classify-support/lib.sh"
mkinput
P=classify-support

# err_is "description" "expected stderr"
err_is() { same_line "$1" "$2" "$(cat err)"; }

# A section of another schema (person/1, link-waves' output: one stage skipped).
python3 - "$KETEN_ROOT/schemas/person-1.schema" > person.csv <<'PY' || echo "not ok - a person/1 section: the Python that writes it stopped before its end"
import sys
f = [l.split()[0] for l in open(sys.argv[1]) if l.split() and l.split()[0][0] != "#"
     and l.split()[0] not in ("schema", "extends")]
print("#schema person/1"); print(",".join(f))
PY
expect_exit 1 "wrong section: exit 1" $P person.csv
err_is "wrong section: names it and what is expected" \
	"$P: person.csv:2: section person/1: classify-support reads person_status/1 or cohort_status/1 (derive-status's output)"

# ... also when it comes after a good section (cat of two streams)
cat status.csv person.csv > mixed.csv
expect_exit 1 "wrong second section: exit 1" $P mixed.csv
err_is "wrong second section: its line" \
	"$P: mixed.csv:18: section person/1: classify-support reads person_status/1 or cohort_status/1 (derive-status's output)"

# Header that differs from the schema: a renamed and a dropped column.
sed '2s/,w1_training,/,w1_trainings,/' status.csv > renamed.csv
expect_exit 1 "renamed column: exit 1" $P renamed.csv
err_is "renamed column: names it" \
	"$P: renamed.csv:2: w1_trainings: not a field of person_status/1 (column 47 should be w1_training)"
sed '2s/,w1_training,/,/' status.csv > dropped.csv
expect_exit 1 "dropped column: exit 1" $P dropped.csv
err_is "dropped column: names it" \
	"$P: dropped.csv:2: w1_training: header of person_status/1: column 47 is w1_help_problems, the schema has w1_training there"

# Bad values in fields this stage reads (line 5 = p03, whose w1_training is dont_know).
sed '5s/,dont_know,/,maybe,/' status.csv > code.csv
expect_exit 1 "unknown answer code: exit 1" $P code.csv
err_is "unknown answer code: file, line, field" \
	"$P: code.csv:5: w1_training: not one of the codes of w1_training: maybe"
awk -F, -v OFS=, 'NR == 3 { $27 = "" } 1' status.csv > req.csv
expect_exit 1 "missing responded_w1: exit 1" $P req.csv
err_is "missing responded_w1: file, line, field" "$P: req.csv:3: responded_w1: missing required value"
awk -F, -v OFS=, 'NR == 3 { $9 = "2006-02-30" } 1' status.csv > date.csv   # p01 is WW
expect_exit 1 "impossible application date: exit 1" $P date.csv
err_is "impossible application date: file, line, field" \
	"$P: date.csv:3: application_date: not a date (yyyy-mm-dd): 2006-02-30"
awk -F, -v OFS=, 'NR == 3 { $19 = "x" } 1' status.csv > rows.csv
expect_exit 1 "non-numeric uwv_rows: exit 1" $P rows.csv
err_is "non-numeric uwv_rows: file, line, field" "$P: rows.csv:3: uwv_rows: not an integer: x"
awk -F, -v OFS=, 'NR == 5 { NF = NF - 1 } 1' status.csv > short.csv
expect_exit 1 "short record: exit 1" $P short.csv
err_is "short record: file, line" "$P: short.csv:5: wrong number of fields: 118, person_status/1 has 119"

# Empty input (what a dead upstream stage leaves), a truncated gzip stream, a missing file.
: > empty.csv
expect_exit 1 "empty input: exit 1" $P empty.csv
err_is "empty input: says so" "$P: empty.csv: no section in the input: an empty stream (did an earlier stage fail?)"
expect_exit 1 "empty stdin: exit 1" $P < /dev/null
err_is "empty stdin: says so" "$P: stdin: no section in the input: an empty stream (did an earlier stage fail?)"
gzip -c status.csv | head -c 300 > trunc.gz
expect_exit 1 "truncated gzip: exit 1" $P trunc.gz
has_text "truncated gzip: says so" err "^$P: trunc.gz:[0-9]+: truncated gzip stream"
expect_exit 1 "missing file: exit 1" $P nosuch.csv
err_is "missing file: says so" "$P: nosuch.csv: cannot open: No such file or directory"

# Usage errors: exit 2 and the message.
usage_is() {
	local want=$1; shift
	expect_exit 2 "usage: $* -> exit 2" $P "$@"
	same_line "usage: $* -> message" "$P: $want
Try '$P --help'." "$(cat err)"
}
usage_is "--contacts: expected report or exclude, not 'foo'" --contacts foo
usage_is "--contacts-threshold: not a whole number from 0 to 100000: '-1'" --contacts-threshold -1
usage_is "--on-time-days: not a whole number from 0 to 100000: '4x'" --on-time-days 4x
usage_is "--dont-know: expected no or missing, not 'yes'" --dont-know yes
usage_is "--carryover: expected no or yes, not '1'" --carryover 1
usage_is "unknown option '--bogus'" --bogus
usage_is "option '--contacts' needs a value" --contacts

# --help and --version
expect_exit 0 "--version: exit 0" $P --version
same_line "--version prints name and version" "classify-support ketenmonitor 0.1" "$(cat out)"
expect_exit 0 "--help: exit 0" $P --help
for opt in "--contacts report|exclude" "--contacts-threshold N" "--dont-know no|missing" \
	"--carryover yes|no" "--on-time-days N"; do
	has_text "--help documents $opt" out "^  $opt .*"
done
has_text "--help names what it reads" out "^Reads: +person_status/1 "
has_text "--help names what it writes" out "^Writes: +person_support/1 "
# every column the schema adds is listed with its meaning line
python3 "$T/support.py" added > cols.txt
awk 'NR == FNR { want[$1] = 1; n++; next } $1 in want && NF > 1 { got++ } END { print got "/" n }' \
	cols.txt out > got.txt
same_line "--help lists every added column with its meaning" "$(wc -l < cols.txt)/$(wc -l < cols.txt)" "$(cat got.txt)"
done_testing
