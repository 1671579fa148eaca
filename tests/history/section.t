#!/usr/bin/env bash
# The report's section on the changes through pipelines/eerste-jaar/run, in English: a run
# with no previous run has no section (its pages are the ones tabulate writes without
# --changes, byte for byte); the next run, on a changed wave-3 file, opens both pages with
# "Since the last report", counted from its own changes.csv, and the rest of each page is
# the page without the section.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
spec=$KETEN_ROOT/pipelines/eerste-jaar/tables.spec
E2E_PERSONS=6000 E2E_SAMPLE=1000 make_world inbox

expect_exit 0 "a first run (no previous run)" run_pipeline --lang en inbox rep
ok_if "has no changes.csv" test ! -e rep/changes.csv
# the run names its date (world.sh's SOURCE_DATE_EPOCH) and the benefit extract's peildatum
dates=(--run-date 2026-12-03 --extract-date "uitkeringen=$(awk -F, '$1 == "uitkeringen" { print $6 }' rep/inputs.csv)")
REC_LEVEL=0 tabulate --lang en "${dates[@]}" --md plain.md --html plain.html "$spec" rep/persons.rec.gz 2> /dev/null
ok_if "its report.md is tabulate's without --changes, byte for byte" cmp rep/report.md plain.md
ok_if "and so is its report.html" cmp rep/report.html plain.html

head -n -30 inbox/golf3.csv > golf3.tmp && mv golf3.tmp inbox/golf3.csv
# (the small world's models lose a few effects with the shorter wave: the cells gate, accepted)
expect_exit 0 "the next run, on a changed golf3.csv" run_pipeline --lang en --accept cells inbox rep
ok_if "has changes.csv" test -s rep/changes.csv
moved=$(awk -F, '$8 == 0 && ($7 == "within" || $7 == "beyond" || $7 == "changed")' rep/changes.csv | wc -l)
beyond=$(awk -F, '$8 == 0 && $7 == "beyond"' rep/changes.csv | wc -l)
same_line "report.md opens with the section" "## Since the last report" "$(grep -m 1 '^## ' rep/report.md)"
if [ "$beyond" -gt 0 ]; then tail="$beyond of them beyond (its|their) interval"; else tail="none of them beyond its interval"; fi
has_text "with changes.csv's counts ($moved moved, $beyond beyond)" rep/report.md \
	"^Compared with the last published report, $moved cells? moved, $tail\\.\$"
has_text "report.html has the section" rep/report.html '^<section id="changes">$'
REC_LEVEL=0 tabulate --lang en "${dates[@]}" --md plain.md --html plain.html "$spec" rep/persons.rec.gz 2> /dev/null
same_line "the rest of report.md is the page without the section" "" \
	"$(diff <(sed '/^## Since the last report$/,/^## /{/^## Since/d; /^## /!d}' rep/report.md) plain.md)"
same_line "the rest of report.html too" "" \
	"$(diff <(sed '/^<section id="changes">$/,/^<\/section>$/d' rep/report.html) plain.html)"
done_testing
