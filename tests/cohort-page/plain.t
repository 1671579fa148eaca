#!/usr/bin/env bash
# cohort-page --plain on the hand-made stream (mkhand.py): the figures for people, plain CSV
# with the words of their ids (cohort_table_labelled/1). Known answers from
# schemas/cohort_table-1.labels, read here by a few lines of awk (the code lines), not by
# the program's code: each label column holds the labels file's words for its id in the
# language asked for; the input's fields come through unchanged; the pages are the same
# with and without --plain; a file that cannot be written fails the run.
. "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/cohort-page
python3 "$d/mkhand.py" > hand.csv
expect_exit 0 "cohort-page --plain writes the plain file beside the pages" \
	cohort-page --lang en --md page.md --html page.html --plain plain.csv hand.csv
cohort-page --lang en --md ref.md --html ref.html hand.csv
same_text "the Markdown page is the one written without --plain" ref.md page.md
same_text "and the HTML page" ref.html page.html
same_line "no #schema line: the header first" "table,cohort_kind,cohort,benefit,population,row,measure,status,estimate,ci_low,ci_high,se,n,known_from,method,table_label,cohort_kind_label,benefit_label,population_label,row_label,measure_label,status_label" \
	"$(head -n 1 plain.csv)"
for lang in en nl; do
	[ $lang = en ] || cohort-page --lang nl --plain plain.csv hand.csv > /dev/null
	python3 - plain.csv hand.csv "$KETEN_ROOT/schemas/cohort_table-1.labels" $lang <<'PY' || echo "not ok - $lang: the Python checks stopped before their end"
import csv, sys
got = list(csv.DictReader(open(sys.argv[1], newline="")))
src = [l for l in open(sys.argv[2]) if not l.startswith("#")]
want = list(csv.DictReader(src))
words = {}
for line in open(sys.argv[3], encoding="utf-8"):
    w = line.split(" ", 2)
    if len(w) == 3 and w[0] == "code." + sys.argv[4] and "=" in w[1]:
        words[tuple(w[1].split("=", 1))] = w[2].rstrip("\n")
fields = ["table", "cohort_kind", "benefit", "population", "row", "measure", "status"]
def ok(c, what):
    print(("ok - " if c else "not ok - ") + what)
ok(len(got) == len(want) and all({k: g[k] for k in w} == w for g, w in zip(got, want)),
   "%s: every record of the input, field for field (%d)" % (sys.argv[4], len(want)))
bad = [(f, g[f], g[f + "_label"]) for g in got for f in fields if g[f + "_label"] != words.get((f, g[f]))]
ok(not bad, "%s: every label is the labels file's word for its id" % sys.argv[4] + (": %s" % bad[:3] if bad else ""))
PY
done
same_line "English words (a row, a status)" "still on benefit after 3 months|not yet known" \
	"$(cohort-page --lang en --plain /dev/stdout hand.csv | python3 -c 'import csv, sys
r = [r for r in csv.DictReader(sys.stdin) if r["row"] == "on_benefit_3m" and r["status"] == "not_yet_known"][0]
print(r["row_label"] + "|" + r["status_label"])')"
expect_exit 1 "a --plain file that cannot be written fails the run" cohort-page --plain no/such/dir/plain.csv hand.csv
has_text "naming it" err "no/such/dir/plain.csv"
done_testing
