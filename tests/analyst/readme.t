#!/usr/bin/env bash
# README's "Using the results in R, Python, SPSS and Stata" (issue 19): the section is there
# with its exact lines, and the lines work on a report folder. The Python lines run under
# Debian's python3 with pandas (python3-pandas, tools/need-packages test; `python3` may be a
# pyenv shim without it), and pandas' read_csv with its defaults must find in tables.csv
# every table of tables.spec and every label, as python3's csv module reads the same file
# (plain.t checks those against the record stream and the spec). The R lines (read.csv,
# haven) run where Rscript is (r-read.t and export.t check R's reading in depth); the
# rec-export lines must write the .sav/.dta files; the rec-cat | mlr line runs where
# miller is.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/analyst/world.sh"
py=/usr/bin/python3
$py -c 'import pandas' 2> /dev/null || { echo "Debian's python3-pandas is missing (tools/need-packages test)"; exit 77; }

# the section, up to the next heading
awk '/^### Using the results in R, Python, SPSS and Stata$/ { on = 1; next } on && /^#/ { exit } on' \
	"$KETEN_ROOT/README.md" > section.md
ok_if "README has the section \"Using the results in R, Python, SPSS and Stata\"" test -s section.md
while IFS= read -r line; do
	ok_if "the section has: $line" grep -qxF -- "$line" section.md
done <<'LINES'
t <- read.csv("report/tables.csv")                  # every figure, one row per cell
p <- read.csv("report/persons.csv.gz")              # one row per person
import pandas as pd
t = pd.read_csv("report/tables.csv")
p = pd.read_csv("report/persons.csv.gz")
rec-export -o persons.sav report/persons.rec.gz               # SPSS, labels in Dutch
rec-export --lang en -o persons.dta report/persons.rec.gz     # Stata, labels in English
p <- haven::read_sav("persons.sav")                 # or read_dta; haven::as_factor(p$origin)
LINES
# a fenced block of the section: block LANG
block() { awk -v lang="$1" '$0 == "```" lang { on = 1; next } on && /^```/ { exit } on' section.md; }

ok_if "the pipeline makes a report folder" report_folder report

# Python: the section's lines, then what they found against the csv module and the spec
{ block python; cat <<'PY'
import csv, re, sys
rows = list(csv.reader(open("report/tables.csv", newline="", encoding="utf-8")))
header, body = rows[0], rows[1:]
def ok(cond, desc, detail=""):
    print(("ok - " if cond else "not ok - ") + desc + ("" if cond or not detail else "\n#   " + str(detail)[:300]))
ok(list(t.columns) == header, "pandas: tables.csv's header is the columns", list(t.columns))
ok(len(t) == len(body), "pandas: every row of tables.csv (%d, csv: %d)" % (len(t), len(body)))
spec, cur, variants = [], None, set()
for l in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"table\s+(\S+)", l)
    if m:
        cur = m.group(1)
        spec.append(cur)
    elif cur and re.match(r"\s+variant\s", l):
        variants.add(cur)
want = [s for s in spec if s not in variants]
ok(list(dict.fromkeys(t["table"])) == want, "pandas: every table of tables.spec, in its order (%d)" % len(want),
   list(dict.fromkeys(t["table"])))
for col in [c for c in header if c.endswith("_label")]:
    i = header.index(col)
    csv_vals = [r[i] for r in body]
    pd_vals = ["" if v != v else v for v in t[col]]      # NaN (an empty cell) as ""
    ok(pd_vals == csv_vals and all(csv_vals), "pandas: %s holds every label, as the csv module reads it" % col,
       [(a, b) for a, b in zip(pd_vals, csv_vals) if a != b or not b][:3])
ok(str(t["estimate"].dtype) == "float64" and str(t["n"].dtype).startswith(("int", "float")),
   "pandas: estimate and n are numbers (%s, %s)" % (t["estimate"].dtype, t["n"].dtype))
ok(len(p) == sum(1 for _ in csv.reader(__import__("gzip").open("report/persons.csv.gz", "rt", newline=""))) - 1,
   "pandas: persons.csv.gz, one row per person (%d)" % len(p))
PY
} > readme.py
$py readme.py "$KETEN_ROOT/pipelines/eerste-jaar/tables.spec" 2> py.err || { echo "not ok - the Python lines run"; sed 's/^/#   /' py.err | tail -5; }

# SPSS and Stata: the rec-export lines
(block sh | grep '^rec-export' > export.sh && sh -e export.sh) 2> export.err
ok_if "the rec-export lines write persons.sav, persons.dta and coef.sav" test -s persons.sav -a -s persons.dta -a -s coef.sav
persons=$(( $(gzip -dc report/persons.csv.gz | $py -c 'import csv, sys; print(sum(1 for _ in csv.reader(sys.stdin)))') - 1 ))
if command -v Rscript > /dev/null; then
	got=$({ block r | head -n 2; block r | grep haven; echo 'cat(nrow(t), nrow(p), "\n")'; } > lines.R && Rscript lines.R 2> r.err)
	same_line "R: the read.csv and haven lines read the report ($(wc -l < report/tables.csv) - 1 cells, $persons persons)" \
		"$(( $(wc -l < report/tables.csv) - 1 )) $persons" "$(echo $got)"
fi
if command -v mlr > /dev/null; then
	line=$(grep -o '`rec-cat person_support/1 report/persons.rec.gz | mlr [^`]*`' section.md | tr -d '`')
	out=$(sh -c "$line" 2> mlr.err | head -n 1)
	ok_if "the rec-cat | mlr line runs and shows the person columns ($line)" test "${out%% *}" = person_key
fi
done_testing
