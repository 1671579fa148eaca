#!/usr/bin/env bash
# The history through pipelines/refresh: three refreshes with a changed extract between
# them give a history of exactly three runs, in publication order, each holding its run's
# cells as published; a refresh on unchanged extracts appends nothing; a failed refresh
# appends nothing; the log and the summary say which extract changed and give the change
# line; changes.csv lies beside tables.csv; --rebuild-history gives the same history back.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
. "$KETEN_ROOT/tests/history/pagecells.sh"
refresh=$KETEN_ROOT/pipelines/refresh
E2E_PERSONS=6000 E2E_SAMPLE=1000 make_world inbox
runs() { compare-runs --list reports/history.gz | awk '{ print $2 }'; }
# a changed golf3.csv: the last 30 respondents of wave 3 are left out
shorter_golf3() { head -n -30 inbox/golf3.csv > golf3.tmp && mv golf3.tmp inbox/golf3.csv; }

expect_exit 0 "the first refresh publishes" "$refresh" inbox reports
first=$(basename "$(readlink reports/current)")
same_line "the history holds the first run" "$first" "$(runs)"
ok_if "the first run has no changes.csv (nothing to compare with)" test ! -e reports/current/changes.csv
cp reports/history.gz h1

ok_if "the first report has no section on changes (md)" sh -c '! grep -q "Sinds het vorige rapport" reports/current/report.md'
ok_if "nor in html" sh -c '! grep -q "id=\"changes\"" reports/current/report.html'

expect_exit 0 "a refresh on unchanged extracts" "$refresh" inbox reports
ok_if "appends nothing (the history is byte for byte the same)" cmp -s h1 reports/history.gz

# A failed refresh: the wave-3 file changes, and the small world's models lose a few
# effects, which the cells gate stops (refresh.t, faults.t: every way a refresh fails).
shorter_golf3
expect_exit 1 "a refresh that fails its gates" "$refresh" inbox reports
ok_if "appends nothing" cmp -s h1 reports/history.gz
expect_exit 0 "the same refresh, the gate accepted" "$refresh" --accept cells inbox reports
second=$(basename "$(readlink reports/current)")
has_text "the log names the changed extract by kind and checksum" reports/refresh.log \
	"refresh: extracts changed: golf3 golf3.csv sha256 [0-9a-f]{16} -> [0-9a-f]{16}\$"
has_text "and gives the change line" reports/refresh.log \
	"refresh: changed: golf3.csv; [0-9]+ rows? of tables.csv moved, [0-9]+ beyond their interval"
has_text "which the run's summary has too" reports/current/summary.txt \
	"^  changed: golf3.csv; [0-9]+ rows? of tables.csv moved, [0-9]+ beyond their interval"
ok_if "changes.csv lies beside tables.csv" test -s reports/current/changes.csv
same_line "and is change/1 (the stream changes.rec.gz; changes.csv its plain CSV)" "#schema change/1" "$(gzip -dc reports/current/changes.rec.gz | head -n 1)"
same_line "changes.csv: the stream's header and records, nothing else" "$(gzip -dc reports/current/changes.rec.gz | tail -n +2 | md5sum)" "$(md5sum < reports/current/changes.csv)"
moved=$(awk -F, '$8 == 0 && ($7 == "within" || $7 == "beyond" || $7 == "changed")' reports/current/changes.csv | wc -l)
beyond=$(awk -F, '$8 == 0 && $7 == "beyond"' reports/current/changes.csv | wc -l)
has_text "the line's counts are changes.csv's ($moved moved, $beyond beyond)" reports/refresh.log \
	"changed: golf3.csv; $moved rows? of tables.csv moved, $beyond beyond their interval"
# the page counts the weighted figures it shows (the unweighted twins are in changes.csv)
page_cells reports/current/changes.csv > page-changes.csv
ok_if "changes.csv holds unweighted twins the page leaves out" \
	test "$(wc -l < page-changes.csv)" -lt "$(wc -l < reports/current/changes.csv)"
moved=$(awk -F, '$8 == 0 && ($7 == "within" || $7 == "beyond" || $7 == "changed")' page-changes.csv | wc -l)
beyond=$(awk -F, '$8 == 0 && $7 == "beyond"' page-changes.csv | wc -l)
# the report's section (tabulate --changes): the same counts, a row per cell beyond
if [ "$beyond" -gt 0 ]; then tail="waarvan $beyond buiten (haar|hun) interval"; else tail="geen daarvan buiten haar interval"; fi
has_text "report.md has the section \"Sinds het vorige rapport\"" reports/current/report.md '^## Sinds het vorige rapport$'
has_text "with changes.csv's counts ($moved moved, $beyond beyond)" reports/current/report.md \
	"^Vergeleken met het vorige gepubliceerde rapport (is|zijn) $moved cel(len)? verschoven, $tail\.\$"
same_line "and a row per cell beyond its interval" "$beyond" \
	"$(sed -n '/^## Sinds/,/^## /p' reports/current/report.md | grep -c ' | [+-][0-9]*,[0-9][0-9] |$')"
same_line "the rows are changes.csv's beyond cells, in its order" \
	"$(awk -F, '$8 == 0 && $7 == "beyond" { print $1 }' page-changes.csv | tr '\n' ' ')" \
	"$(sed -n '/^## Sinds/,/^## /p' reports/current/report.md | grep ' | [+-][0-9]*,[0-9][0-9] |$' | sed 's/.*(`\([a-z0-9_]*\)`).*/\1/' | tr '\n' ' ')"
has_text "report.html has it too" reports/current/report.html '^<section id="changes">$'

shorter_golf3
expect_exit 0 "a third refresh on a changed extract" "$refresh" --accept cells inbox reports
third=$(basename "$(readlink reports/current)")
same_text "the history holds exactly the three runs, in publication order" \
	<(printf '%s\n' "$first" "$second" "$third") <(runs)
same_line "three gzip members" "reports/history.gz: 3 members" "$(history-check reports/history.gz | cut -d, -f1)"
# (the failed refresh took publication number 2: refresh numbers failed runs too)
same_line "publication numbers 1 3 4" "1 3 4" "$(compare-runs --list reports/history.gz | awk '{ printf "%s%s", s, $1; s = " " }')"
# each run's cells in the history are its tables.rec.gz as published (history/1: the table/1
# columns first, then the 7 of the run's identity)
for r in "$first" "$second" "$third"; do
	zcat reports/history.gz | awk -F, -v r="$r" 'NF > 7 && $(NF - 6) == r' | rev | cut -d, -f8- | rev > cells.got
	gzip -dc "reports/runs/$r/tables.rec.gz" | tail -n +3 > cells.want   # the stream: #schema, header, cells
	same_text "run $r: its cells in the history are its tables.rec.gz" cells.want cells.got
done
same_line "every member's section is history/1" 3 "$(zcat reports/history.gz | grep -c '^#schema history/1$')"
same_line "the digest is of the run's extracts.sha256" "$(sha256sum < "reports/runs/$third/extracts.sha256" | cut -c1-64)" \
	"$(zcat reports/history.gz | tail -n 1 | awk -F, '{ print $NF }')"
same_line "the peildatum of the registry kind that has one" "uitkeringen=2007-04-16" \
	"$(zcat reports/history.gz | tail -n 1 | awk -F, '{ print $(NF - 1) }')"
same_line "the code version is the run's code.version" "$(cat "reports/runs/$third/code.version")" \
	"$(zcat reports/history.gz | tail -n 1 | awk -F, '{ print $(NF - 3) }')"
ok_if "the history is private (0600: umask 077)" test "$(stat -c %a reports/history.gz)" = 600
ok_if "current has its trend page" test -s reports/current/history.html

# --rebuild-history from the kept run folders: the same cells, the old file kept beside it
zcat reports/history.gz > appended.csv
expect_exit 0 "--rebuild-history" "$refresh" --rebuild-history inbox reports
zcat reports/history.gz > rebuilt.csv
same_text "rebuilds the same history from the run folders" appended.csv rebuilt.csv
ok_if "keeps the old file beside it" sh -c 'ls reports/history.gz.before-rebuild.* >/dev/null'
has_text "and logs it" reports/refresh.log 'history rebuilt from the 3 kept published runs'
done_testing
