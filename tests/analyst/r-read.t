#!/usr/bin/env bash
# R's read.csv with its defaults reads every plain file of a report folder (issue 19: it
# failed on tables.csv's '#schema' line with "more columns than column names"). The known
# answer: the rows and header python3's csv module finds in the same files (tests/analyst/
# plain.t checks those against the record streams). Skips (77) where R is absent.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/analyst/world.sh"
command -v Rscript >/dev/null || { echo "Rscript missing (apt-get install r-base-core)"; exit 77; }

ok_if "the pipeline makes a report folder" report_folder report
# per file: rows and the header as python3's csv reads them, and the table ids
for f in tables.csv persons.csv.gz model_fit.csv model_coef.csv rejects.csv.gz unlinked.csv.gz; do
	python3 -c 'import csv, gzip, sys
p = sys.argv[1]
f = gzip.open(p, "rt", encoding="utf-8", newline="") if p.endswith(".gz") else open(p, encoding="utf-8", newline="")
rows = list(csv.reader(f))
print(sys.argv[2], len(rows) - 1, "|".join(rows[0]))' "report/$f" "$f"
done > want.txt
python3 -c 'import csv; print(" ".join(sorted({r["table"] for r in csv.DictReader(open("report/tables.csv", newline=""))})))' > want-tables.txt

cat > read.R <<'R'
for (f in c("tables.csv", "persons.csv.gz", "model_fit.csv", "model_coef.csv", "rejects.csv.gz", "unlinked.csv.gz")) {
  d <- read.csv(file.path("report", f))
  cat(f, nrow(d), paste(names(d), collapse = "|"), "\n")
}
t <- read.csv("report/tables.csv")
writeLines(paste(sort(unique(t$table)), collapse = " "), "got-tables.txt")
# typed as an analyst wants them: numbers as numbers, empty cells as NA
stopifnot(is.numeric(t$estimate), is.numeric(t$n), is.integer(t$suppressed))
R
expect_exit 0 "R read.csv reads every file with its defaults" Rscript read.R
sed 's/ $//' out > got.txt
same_text "R finds the rows and the header python3's csv finds, in every file" want.txt got.txt
same_text "R finds every table python3 finds in tables.csv" want-tables.txt got-tables.txt
done_testing
