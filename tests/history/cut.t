#!/usr/bin/env bash
# A truncated last member (a power cut while the refresh appended a run) is detected and
# reported, and the next refresh repairs it by dropping only that member - then appends the
# current report again, which the cut member was. Real cut files: the last member cut in
# its gzip header, in its deflate data, in its 8-byte trailer (CRC and length), and a
# member whose bytes the file system never wrote (zeros). Damage that is not a cut append
# (a bad member with a good one after it; a file that is not gzip) is reported and left
# alone, and nothing is appended to it.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
refresh=$KETEN_ROOT/pipelines/refresh
E2E_PERSONS=6000 E2E_SAMPLE=1000 make_world inbox
"$refresh" inbox reports 2> /dev/null
head -n -30 inbox/golf3.csv > g.tmp && mv g.tmp inbox/golf3.csv
"$refresh" --accept cells inbox reports 2> /dev/null
cp reports/history.gz whole.gz
zcat whole.gz > whole.csv
same_line "two runs in the history to start with" "reports/history.gz: 2 members" \
	"$(history-check reports/history.gz | cut -d, -f1)"
size=$(stat -c %s whole.gz)
# where the second member starts: the end of the first (a member alone, as history-stamp writes it)
first_end=$(python3 -c '
import sys, zlib
data = open("whole.gz", "rb").read()
d = zlib.decompressobj(31); d.decompress(data)
print(len(data) - len(d.unused_data))')

# cut PLACE BYTES-KEPT: the history cut so, and what the refresh makes of it
cut() {
	local place=$1 keep=$2
	head -c "$keep" whole.gz > reports/history.gz
	expect_exit 1 "history-check finds a last member cut in its $place" history-check reports/history.gz
	has_text "and says what it is" err "the last member is cut short: $((keep - first_end)) bytes after 1 complete member \(at byte $first_end"
	expect_exit 0 "a refresh on unchanged extracts after a cut in the $place" "$refresh" inbox reports
	has_text "reports the repair on stderr" err "refresh: history: reports/history.gz: dropped a cut last member \($((keep - first_end)) bytes after byte $first_end\)"
	has_text "and in the log" reports/refresh.log "history: reports/history.gz: dropped a cut last member \($((keep - first_end)) bytes"
	has_text "and appends the current report again" reports/refresh.log "history: appended runs/[0-9TZ-]+ \(published, but not in the history\)"
	zcat reports/history.gz > got.csv
	same_text "the history is whole again, the same runs and cells as before the cut ($place)" whole.csv got.csv
}
cut "gzip header" $((first_end + 5))
cut "deflate data" $(( (first_end + size) / 2 ))
cut "trailer (CRC and length)" $((size - 3))

# zeros where the last member should be: extended, never written
{ head -c "$first_end" whole.gz; head -c 4096 /dev/zero; } > reports/history.gz
expect_exit 0 "a refresh after an append the file system never wrote (zeros)" "$refresh" inbox reports
zcat reports/history.gz > got.csv
same_text "drops the zeros and appends the run again" whole.csv got.csv

# history-check --repair drops exactly the cut member: the file is then the first member
head -c $((size - 100)) whole.gz > cut.gz
expect_exit 0 "history-check --repair" history-check --repair cut.gz
ok_if "leaves exactly the complete member (the first $first_end bytes)" cmp -s cut.gz <(head -c "$first_end" whole.gz)

# Not a cut append: a damaged first member with a complete member after it
{ head -c 200 whole.gz; tail -c +"$((first_end + 1))" whole.gz; } > reports/history.gz
cp reports/history.gz damaged.gz
expect_exit 1 "a refresh with a history damaged in the middle exits 1" "$refresh" inbox reports
has_text "and says the history is damaged, not cut" err "refresh: history: reports/history.gz: damaged after 0 complete members"
has_text "and that nothing is appended until it is rebuilt" err "nothing is appended until it is rebuilt"
ok_if "the damaged history is left as it was" cmp -s damaged.gz reports/history.gz
expect_exit 1 "history-check --repair refuses it too" history-check --repair damaged.gz
ok_if "and leaves it alone" cmp -s damaged.gz reports/history.gz
printf 'table,benefit\n' > plain.gz
expect_exit 1 "a history that is not gzip" history-check --repair plain.gz
has_text "is damaged, not cut" err 'not a gzip member'
same_line "and stays as it was" "table,benefit" "$(cat plain.gz)"
expect_exit 0 "--rebuild-history makes a new one from the run folders" "$refresh" --rebuild-history inbox reports
zcat reports/history.gz > got.csv
same_text "the rebuilt history holds the two runs" whole.csv got.csv
: > empty.gz
expect_exit 0 "an empty history is whole (no runs)" history-check empty.gz
expect_exit 2 "history-check without a file" history-check
done_testing
