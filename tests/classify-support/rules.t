#!/usr/bin/env bash
# classify-support with the default rules on hand-made people (data/people.txt); the
# expected values are worked out by hand in data/expected-default.txt.
source "$KETEN_ROOT/tests/lib/tap.sh"
source "$KETEN_ROOT/tests/classify-support/lib.sh"
mkinput

expect_exit 0 "runs on the hand-made people" classify-support status.csv
mv out default.csv
table default.csv > got.txt
norm "$D/expected-default.txt" > want.txt
same_text "every support and handover value as worked out by hand" want.txt got.txt

method default.csv > got.txt
echo "contacts=report;threshold=0;dont_know=no;carryover=yes;on_time=28" > want.txt
same_text "support_method names the default rules, the same on every row" want.txt got.txt

# The input columns pass through unchanged: the first fields of every output line are the
# input line's (the hand-made input has no quoted fields, so a textual prefix test works).
python3 - status.csv default.csv > got.txt <<'PY' || echo "not ok - input columns: the Python check stopped before its end"
import sys
inp = open(sys.argv[1]).read().split("\n")
out = open(sys.argv[2]).read().split("\n")
bad = []
if len(inp) != len(out): bad.append("line counts %d %d" % (len(inp), len(out)))
for i, (a, b) in enumerate(zip(inp, out)):
    if i == 0:
        if b != "#schema person_support/1": bad.append("schema line " + b)
    elif a and not b.startswith(a + ","): bad.append("line %d" % (i + 1))
print("\n".join(bad) or "same")
PY
same_line "input columns and order unchanged" same "$(cat got.txt)"

ok_if "output is a valid person_support/1 stream (rec-check)" rec-check -q default.csv

# gzip input, two sections (cat of two streams), output gzip by default
gzip -c status.csv > a.gz
cat a.gz a.gz > two.gz
REC_LEVEL=1 classify-support two.gz > two.out.gz
zcat_any two.out.gz > two.csv
same_line "two input sections -> two output sections" 2 "$(grep -c '^#schema person_support/1$' two.csv)"
cat default.csv default.csv > want.csv
same_text "gzip input of two sections: the same records, twice" want.csv two.csv

# stdin and '-' and several FILE arguments
classify-support < status.csv > stdin.csv
same_text "stdin gives the same output" default.csv stdin.csv
classify-support - status.csv < status.csv > both.csv
same_text "'-' and a file: both read, in order" want.csv both.csv

# determinism
classify-support status.csv > again.csv
same_text "same input -> byte-identical output" default.csv again.csv

# an empty section (no people) is valid: header only
head -2 status.csv > empty.csv
expect_exit 0 "a section without records is fine" classify-support empty.csv
same_line "... and gives a header-only section" 2 "$(wc -l < out)"
done_testing
