#!/usr/bin/env bash
# No false alarm: every gate passes when the demo world (synth --seed 2006, the report's
# size) is followed by a dirty delivery (synth --seed 7 --dirty 0.01: another sample, 1 %
# faulty rows), and back again - and every gate was really compared, none skipped.
. "$KETEN_ROOT/tests/lib/tap.sh"
refresh=$KETEN_ROOT/pipelines/refresh
synth --seed 2006 --out demo > /dev/null
synth --seed 7 --dirty 0.01 --out dirty > /dev/null
all_passed() {   # all_passed REPORT: every gate line of the summary says passed
	same_line "$1: every gate passed" "rows passed|reject-rate passed|cells passed|headline-n passed|peildatum passed|extracts passed" \
		"$(awk '{ print $1, $2 }' reports/current/logs/gates.txt | tr '\n' '|' | sed 's/|$//')"
	same_line "$1: no subject failed, was accepted or skipped" 0 "$(grep -c -e ',fail,' -e ',accepted,' -e ',skipped,' reports/current/gates.csv)"
}
expect_exit 0 "the demo world is published" "$refresh" demo reports
expect_exit 0 "the dirty world after it is published" "$refresh" dirty reports
all_passed "demo -> dirty"
has_text "demo -> dirty: the dirty world's rejects stay under the limit" reports/current/summary.txt '^  reject-rate  passed \(7 checks\)$'
expect_exit 0 "the demo world after the dirty one is published" "$refresh" demo reports
all_passed "dirty -> demo"
same_line "three publications" 3 "$(ls reports/runs | wc -l)"
done_testing
