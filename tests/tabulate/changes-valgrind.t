#!/usr/bin/env bash
# tabulate --changes and --previous under valgrind --leak-check=full: no invalid access, no
# definite or indirect leak, rendering the section (both pages, a method record, a row
# beyond) and refusing a stream (another run's, a table/1 file, an empty file, a change/1
# stream as --previous).
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/lib/valgrind.sh"
d=$KETEN_ROOT/tests/tabulate/data
spec=$d/hand.spec
. "$d/hand-stream.sh"
hand_stream > hand.csv
export REC_LEVEL=0
tabulate --csv new.csv "$spec" hand.csv 2> /dev/null
# as in changes.t: reg beyond, effects under another method tag
awk -F, -v OFS=, '$1 == "reg" && $5 == "large_distance" { $7 = 0.05; $8 = 0; $9 = 0.10 }
	$1 == "effects" { $14 = "aaaa000000000000" } { print }' new.csv > old.csv
compare-runs old.csv new.csv > changes.csv
awk -F, -v OFS=, '$1 == "reg" && $5 == "large_distance" { $13 = 0.25 } { print }' changes.csv > other.csv
: > empty.csv

vgx 0 "tabulate --changes, md and html" tabulate --changes changes.csv --md r.md --html r.html "$spec" hand.csv
has_text "the section was rendered" r.md '^\| Registeraandeel \(`reg`\) \|'
vgx 0 "tabulate --previous (the comparison in tabulate), md and html" tabulate --previous old.csv --csv new2.csv --md p.md --html p.html "$spec" hand.csv
ok_if "the same page as with --changes" cmp r.md p.md
vgx 1 "tabulate --previous of a change/1 stream" tabulate --previous changes.csv --csv new3.csv --md x.md "$spec" hand.csv
vgx 1 "tabulate --changes on another run's stream" tabulate --changes other.csv --md x.md "$spec" hand.csv
vgx 1 "tabulate --changes on a table/1 file" tabulate --changes new.csv --md x.md "$spec" hand.csv
vgx 1 "tabulate --changes on an empty file" tabulate --changes empty.csv --md x.md "$spec" hand.csv
done_testing
