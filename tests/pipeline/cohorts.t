#!/usr/bin/env bash
# The registry monitor (pipelines/cohorts/run) against the report pipeline on the demo world
# (synth --seed 2006): the March and April 2006 cohorts combined are the study population,
# figure for figure and person for person (cohorts_demo.py) - the 12-month figure, which the
# demo's extract (16-04-2007) comes too early for, is not yet known in the monitor, and
# equal to the report's once the same history is extracted three months later. Then the
# run's own checks: what it writes, its summary, the private files, the input manifest (a
# survey file is refused), a failing stage, bad usage.
. "$KETEN_ROOT/tests/lib/tap.sh"
# a helper script that dies (a traceback) must count as a failure, not as fewer checks
py() { python3 "$@" || echo "not ok - python3 ${1##*/} exited with status $?"; }
cohorts=$KETEN_ROOT/pipelines/cohorts/run
report=$KETEN_ROOT/pipelines/eerste-jaar/run
registry() {   # registry DIR SYNTH-OPTIONS...: a world's R1-R3 and key only
	synth "${@:2}" --out "$1.world" > /dev/null && mkdir "$1" &&
		mv "$1.world"/{cwi_aanvragen,uwv_overdracht,uitkeringen}.csv "$1.world/pseudonym.key" "$1/" && rm -rf "$1.world"
}

registry demo --seed 2006
expect_exit 0 "the report pipeline, registry figures only, on the demo world" "$report" --registry-only demo rep
expect_exit 0 "the monitor with the study's months combined" "$cohorts" --combine 2006-03:2006-04 demo mon
py "$KETEN_ROOT/tests/pipeline/cohorts_demo.py" rep mon 2006-03:2006-04
registry later --seed 2006 --peildatum 16-07-2007
expect_exit 0 "the report pipeline on the same history extracted on 16-07-2007" "$report" --registry-only later rep-later
expect_exit 0 "the monitor on it" "$cohorts" --combine 2006-03:2006-04 later mon-later
py "$KETEN_ROOT/tests/pipeline/cohorts_demo.py" rep-later mon-later 2006-03:2006-04 | sed 's/^\(n*o*t* *ok - \)/\1extracted 16-07-2007: /'
same_line "on 16-07-2007 the 12-month figures are known in the monitor" "known known" \
	"$(awk -F, '$2 == "range" && $5 == "all" && $6 == "on_benefit_12m" && $7 == "count" { printf "%s%s", s, $8; s = " " }' mon-later/tables.csv)"

# what the run writes
for f in tables.csv tables.rec.gz report.md report.html persons.csv.gz persons.rec.gz rejects.csv.gz rejects.rec.gz \
	unlinked.csv.gz unlinked.rec.gz summary.txt inputs.csv gates.csv extracts.sha256 key.fingerprint; do
	ok_if "the monitor writes $f" test -s "mon/$f"
done
same_line "tables.rec.gz is cohort_table/1" "#schema cohort_table/1" "$(gzip -dc mon/tables.rec.gz | head -n 1)"
# tables.csv: the same figures, header first, with their words (cohort-page --plain: the
# code labels of schemas/cohort_table-1.labels in the pages' language, Dutch here)
gzip -dc mon/tables.rec.gz | tail -n +2 > tables-plain.csv
python3 - mon/tables.csv tables-plain.csv <<'PY' || echo "not ok - tables.csv: the Python checks stopped before their end"
import csv, sys
got = list(csv.reader(open(sys.argv[1], newline="")))
want = list(csv.reader(open(sys.argv[2], newline="")))
n = len(want[0])
labels = ["table_label", "cohort_kind_label", "benefit_label", "population_label", "row_label", "measure_label",
          "status_label"]
def ok(c, what):
    print(("ok - " if c else "not ok - ") + what)
ok(got[0] == want[0] + labels, "tables.csv: cohort_table/1's header, then the seven label columns")
ok(len(got) == len(want) and all(g[:n] == w for g, w in zip(got, want)),
   "tables.csv: every figure of tables.rec.gz, in its order, field for field")
rows = [dict(zip(got[0], r)) for r in got[1:]]
ok(all(r["row_label"] == "na 3 maanden nog een uitkering" for r in rows if r["row"] == "on_benefit_3m") and
   all(r["status_label"] == "nog niet bekend" for r in rows if r["status"] == "not_yet_known") and
   all(r["benefit_label"] == "WWB (bijstand)" for r in rows if r["benefit"] == "wwb"),
   "tables.csv: the words are the labels file's (on_benefit_3m, not_yet_known, wwb)")
ok(all(r[l] and r[l] != r[l[:-6]] for r in rows for l in labels if l not in ("benefit_label",)),
   "tables.csv: every id has words of its own (benefit WW is its own word)")
PY
same_line "persons.rec.gz is cohort_support/1 (a row per person and cohort)" "#schema cohort_support/1" "$(gzip -dc mon/persons.rec.gz | head -n 1)"
same_line "persons.csv.gz is its plain CSV" "$(gzip -dc mon/persons.rec.gz | tail -n +2 | md5sum)" "$(gzip -dc mon/persons.csv.gz | md5sum)"
same_line "person rows, rejects, unlinked and logs are private (0600)" "600 600 600 600 600 600 600" \
	"$(stat -c %a mon/persons.*.gz mon/rejects.*.gz mon/unlinked.*.gz mon/logs/cohort-tables.log | tr '\n' ' ' | sed 's/ $//')"
has_text "the summary names the monitor's chain and method" mon/summary.txt \
	'^cohorts: link-waves --cohorts month; classify-support --uwv-known claim; cohort-tables --kind month --decision-lag 56 --combine 2006-03:2006-04; cohort-page --lang nl$'
has_text "and its stages' rows" mon/summary.txt '^cohort-tables +[0-9]+ .* cohort_table/1=[0-9]+'
same_line "inputs.csv lists R1-R3" "cwi_aanvragen uitkeringen uwv_overdracht" "$(awk -F, 'NR > 1 { print $1 }' mon/inputs.csv | sort | tr '\n' ' ' | sed 's/ $//')"
has_text "the monitor's gates: rows, reject-rate, peildatum, extracts" mon/gates.csv '^peildatum,'
expect_exit 0 "--min-n and --kind reach cohort-tables" "$cohorts" --min-n 50 --kind month,year demo mon50
has_text "... and its method column" mon50/tables.csv ',year,2006,ww,.*;min_n=50;'

# the report pages (cohort-page): the combined months' rows as tables.csv has them, written
# out here from the CSV by a few lines of python (Dutch: decimal comma, a share in %)
row() {   # row TABLES ROW LANG: the Markdown row of the range cohort's WW share ROW
	python3 - "$@" <<'PY'
import csv, sys
tables, row, lang = sys.argv[1:]
rows = [r for r in csv.DictReader(l for l in open(tables) if not l.startswith("#"))]
r = [x for x in rows if x["cohort_kind"] == "range" and x["benefit"] == "ww" and x["row"] == row
     and x["measure"] == "share"][0]
c = (lambda s: s.replace(".", ",")) if lang == "nl" else (lambda s: s)
words = {"nl": ("bekend", "nog niet bekend"), "en": ("known", "not yet known")}[lang]
if r["status"] == "known":
    p = lambda v: c("%.1f%%" % (100 * float(v)))
    print("| %s | %s | %s – %s | %s | %s |" % (r["cohort"], p(r["estimate"]), p(r["ci_low"]), p(r["ci_high"]), r["n"], words[0]))
else:
    print("| %s | %s |  |  | %s |" % (r["cohort"], words[1], words[1]))
PY
}
mdrow() {   # mdrow MD GROUP HEADING: the range cohort's row in the table HEADING of group GROUP
	awk -v g="$2" -v h="$3" '/^## / { in_g = index($0, "## " g) == 1 } /^### / { on = in_g && index($0, "### " h) == 1 }
		on && /^\| 2006-03:2006-04 \|/ { print; exit }' "$1"
}
want=$(row mon/tables.csv on_benefit_3m nl)
has_text "tables.csv: the study months' 3-month share is known" <(echo "$want") '^\| 2006-03:2006-04 \| [0-9]+,[0-9]%'
same_line "report.md: the study months' 3-month share as tables.csv has it" "$want" \
	"$(mdrow mon/report.md "Samengevoegde maanden · WW" "Na 3 maanden")"
same_line "report.md: the 12-month figure not yet known on the demo's extract" "| 2006-03:2006-04 | nog niet bekend |  |  | nog niet bekend |" \
	"$(mdrow mon/report.md "Samengevoegde maanden · WW" "Na 12 maanden")"
has_text "report.html is the Dutch page" mon/report.html '^<html lang="nl">$'
ok_if "report.html is well-formed XML" python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' mon/report.html
expect_exit 0 "--lang en reaches cohort-page" "$cohorts" --lang en --combine 2006-03:2006-04 later mon-en
has_text "report.html in English" mon-en/report.html '^<html lang="en">$'
want=$(row mon-en/tables.csv on_benefit_12m en)
has_text "tables.csv: the 12-month share is known on 16-07-2007" <(echo "$want") '^\| 2006-03:2006-04 \| [0-9]+\.[0-9]%.* \| known \|$'
same_line "report.md in English: the 12-month share, known on 16-07-2007" "$want" \
	"$(mdrow mon-en/report.md "Combined months · WW" "Still on benefit after 12 months")"

# the input manifest: R1-R3 only
mkdir survey && cp demo/* survey/ && cp -p demo/pseudonym.key survey/
synth --persons 2000 --sample 200 --seed 3 --out s3 > /dev/null && cp s3/golf1.csv survey/
expect_exit 1 "a survey file in the monitor's inbox is refused" "$cohorts" survey out1
has_text "naming the file and the manifest" err "^cohorts: input check failed: .*golf1.csv: a golf1 file, which .*pipelines/cohorts/inputs does not list$"
ok_if "... and nothing is published" test ! -e out1
rm survey/golf1.csv survey/uwv_overdracht.csv
expect_exit 1 "a missing R2 is refused" "$cohorts" survey out2
has_text "naming the kind" err "^cohorts: input check failed: uwv_overdracht \(R2\): no file of this kind"

# a stage that fails: the reason names it
mkdir badbin && for p in "$KETEN_BIN"/*; do ln -s "$p" badbin/; done
rm badbin/cohort-tables && printf '#!/bin/sh\ncat > /dev/null; echo "cohort-tables: broken on purpose" >&2; exit 1\n' > badbin/cohort-tables
chmod +x badbin/cohort-tables
expect_exit 1 "a failing cohort-tables fails the run" env KETEN_BIN="$PWD/badbin" "$cohorts" demo out3
has_text "with its message" err "^cohorts: stage cohort-tables failed: cohort-tables: broken on purpose$"
ok_if "... and nothing is published" test ! -e out3

# usage
expect_exit 0 "--help" "$cohorts" --help
has_text "the usage names the monitor's options" out "--combine FROM:TO"
for bad in "--shards 2" "--models x" "--registry-only" "--uwv-known all" "--decision-lag soon" "--kind day" \
	"--round-base 5" "--secondary link" "--combine 2006-03"; do
	expect_exit 2 "bad usage: $bad" "$cohorts" $bad demo out4
done
expect_exit 2 "bad usage: --secondary link" "$cohorts" --secondary link demo out4
has_text "tabulate's --secondary is refused, naming what the monitor has" err "^cohorts: --secondary is tabulate's .*cohort-tables has --min-n and --protection"
expect_exit 0 "--protection reaches cohort-tables" "$cohorts" --min-n 20 --protection 30 demo monp
has_text "... and its method column" monp/tables.csv ";min_n=20;protection=30;"
expect_exit 2 "bad usage: --combine 2006-03" "$cohorts" --combine 2006-03 demo out4
has_text "a usage error says what is wanted" err "^cohorts: --combine: two months yyyy-mm:yyyy-mm, not '2006-03'"
expect_exit 2 "bad usage: --kind without a value" "$cohorts" demo out4 --kind
has_text "a usage error names the program" err "^cohorts: --kind needs a value"
done_testing
