#!/usr/bin/env bash
# The swapped stage pipelines/swap/classify-support.py (Python, stdlib only) in the place
# of bin/classify-support, as the pipeline would run it (gzip in, gzip out): it must agree
# with `classify-support --contacts exclude --dont-know missing` on every column but
# support_method, and with the values worked out by hand for those rules.
source "$KETEN_ROOT/tests/lib/tap.sh"
source "$KETEN_ROOT/tests/classify-support/lib.sh"
SWAP=$KETEN_ROOT/pipelines/swap/classify-support.py
mkinput
gzip -1 -c status.csv > status.gz

gzip -dcf status.gz | python3 "$SWAP" | gzip -1 > swap.gz
ok_if "swapped stage runs in a gzip pipeline" test "${PIPESTATUS[*]}" = "0 0 0" -a -s swap.gz
zcat_any swap.gz > swap.csv
ok_if "its output is a valid person_support/1 stream (rec-check)" rec-check -q swap.gz

REC_LEVEL=1 classify-support --contacts exclude --dont-know missing status.gz | zcat_any > c.csv
coldiff c.csv swap.csv > got.txt
echo support_method > want.txt
same_text "agrees with classify-support --contacts exclude --dont-know missing but for support_method" want.txt got.txt

apply_changes "$D/expected-default.txt" "$D/changes-exclude-and-missing.txt" > want.txt
table swap.csv > got.txt
same_text "swapped stage: every value as worked out by hand" want.txt got.txt

same_line "swapped stage says what made the values" \
	"contacts=exclude;threshold=0;dont_know=missing;carryover=yes;on_time=28;impl=pipelines/swap/classify-support.py" \
	"$(method swap.csv)"

# two sections in, two out; the C stage reads the swapped stage's input format back
cat status.csv status.csv | python3 "$SWAP" > swap2.csv
same_line "two sections in, two out" 2 "$(grep -c '^#schema person_support/1$' swap2.csv)"
cat c.csv c.csv > c2.csv
coldiff c2.csv swap2.csv > got.txt
echo support_method > want.txt
same_text "two sections: same agreement" want.txt got.txt

# it also takes gzip input itself, two members (cat a.gz b.gz) included
cat status.gz status.gz | python3 "$SWAP" > swap2gz.csv
same_text "gzip input of two members: as plain input" swap2.csv swap2gz.csv

# it refuses what it does not read
python3 "$SWAP" < swap.csv > /dev/null 2> err; rc=$?
same_line "wrong section: exit 1" 1 "$rc"
same_line "wrong section: message" "classify-support.py: line 1: section person_support/1: reads person_status/1" "$(cat err)"
done_testing
