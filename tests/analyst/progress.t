#!/usr/bin/env bash
# Feedback on a terminal (issue 19): run shows each stage's records and rate while it goes
# and, at the end, the headline figures and the models' warnings; under cron (no terminal)
# it prints nothing but its one closing line. The records shown are the stages' own counts
# (REC_PROGRESS); the known answer is the records of each section in the streams kept,
# counted here, and the rows ingest kept by inputs.csv.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/analyst/world.sh"
run=$KETEN_ROOT/pipelines/eerste-jaar/run

ok_if "a run with --progress FILE" report_folder rep --progress prog.txt
read -r p m i < <(python3 - rep <<'PY'
import csv, gzip, sys
d = sys.argv[1]
n = {}
cur = None
for row in csv.reader(gzip.open(d + "/persons.rec.gz", "rt", newline="")):
    if len(row) == 1 and row[0].startswith("#schema "):
        cur, first = row[0][8:], True
        continue
    if first:
        first = False
        continue
    n[cur] = n.get(cur, 0) + 1
kept = sum(int(r["rows"]) - int(r["rejected"]) for r in csv.DictReader(open(d + "/inputs.csv")))
print(n["person_support/1"], n["model_fit/1"] + n["model_coef/1"], kept)
PY
)
progress_of() { tr -d ' ' < "rep/logs/$1.progress"; }
same_line "ingest's progress: the rows it kept (inputs.csv: rows - rejected)" "$i" "$(progress_of ingest)"
for s in link-waves derive-status classify-support; do
	same_line "$s's progress: a record per person ($p)" "$p" "$(progress_of $s)"
done
same_line "fit-models' progress: the persons and the model rows" "$((p + m))" "$(progress_of fit-models)"
last=$(tr '\r' '\n' < prog.txt | sed 's/\x1b\[K//' | grep -v '^$' | tail -n 1)
has_text "the last progress line names every stage with a rate" <(echo "$last") \
	'^eerste-jaar:  ingest [0-9.]+[kM]? [0-9.]+[kM]?/s  link-waves .* derive-status .* classify-support .* fit-models [0-9.]+[kM]? [0-9.]+[kM]?/s$'
ok_if "... rewritten in place (carriage return, clear to the end of the line)" grep -q $'\r\e\\[K' prog.txt

# Under cron: stdout and stderr are no terminal
"$run" world cron > cron.out 2> cron.err
same_line "no terminal: nothing on stdout" "" "$(cat cron.out)"
has_text "no terminal: one line on stderr, the closing one" cron.err '^eerste-jaar: report in cron \([0-9.]+ s\)$'
same_line "... only that one" 1 "$(wc -l < cron.err)"
same_line "no terminal: no progress files" "" "$(ls cron/logs | grep progress)"

# On a terminal (script(1) gives the run one): progress, then the headline and the warnings
if command -v script >/dev/null; then
	script -qec "'$run' world tty" /dev/null > tty.out 2>&1
	same_line "on a terminal: the run succeeds" 0 "$?"
	tr -d '\r' < tty.out | sed 's/\x1b\[K//g' > tty.txt
	"$KETEN_ROOT/pipelines/headline" tty/tables.csv > want-headline.txt
	ok_if "on a terminal: the headline table of pipelines/headline, at the end" grep -qF "$(head -n 3 want-headline.txt)" tty.txt
	has_text "on a terminal: the models' warnings, without the spec's path" tty.txt '^  fig2_h1_ww: few_events:'
	has_text "on a terminal: the progress line" tty.txt 'eerste-jaar:  ingest '
else
	echo "not ok - script(1) (bsdutils) is missing"
fi
done_testing
