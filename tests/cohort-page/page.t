#!/usr/bin/env bash
# cohort-page on a hand-made cohort_table/1 stream (mkhand.py: four WW and two WWB month
# cohorts with every status a figure can have): the HTML page's charts and tables against
# the answers worked out by hand (pagecheck.py), in Dutch and English; the Markdown page's
# rows the same; not_yet_known shown as such and never as a number; a suppressed row's
# numbers nowhere; --curves; the files written whole or not at all; bad input and usage.
. "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/cohort-page
python3 "$d/mkhand.py" > hand.csv
expect_exit 0 "cohort-page writes both pages" cohort-page --md page.md --html page.html hand.csv
same_line "and nothing on stdout" 0 "$(wc -c < out)"
python3 "$d/pagecheck.py" page.html nl
ok_if "no script in the page" sh -c '! grep -qi "<script" page.html'
expect_exit 0 "--lang en" cohort-page --lang en --md page-en.md --html page-en.html hand.csv
python3 "$d/pagecheck.py" page-en.html en
expect_exit 0 "the HTML page on stdout without --md and --html" cohort-page hand.csv
same_text "is the page --html writes" page.html out
expect_exit 0 "--format md on stdout" cohort-page --format md hand.csv
same_text "is the page --md writes" page.md out
gzip -c hand.csv > hand.csv.gz
expect_exit 0 "a gzip stream on stdin" sh -c 'cohort-page --format md < hand.csv.gz'
same_text "gives the same page" page.md out

# the Markdown page: the rows worked out by hand (mkhand.py's docstring)
has_text "md: a kind and benefit heading" page.md '^## Maandcohorten · WW$'
has_text "md: WWB's heading" page.md '^## Maandcohorten · WWB \(bijstand\)$'
has_text "md: the 3-month table's known row" page.md '^\| 2006-01 \| 80,0% \| 71,0% – 87,0% \| 100 \| bekend \|$'
has_text "md: a suppressed row is x and nothing else" page.md '^\| 2006-03 \| x \|  \|  \| onderdrukt \|$'
has_text "md: a not-yet-known row says so, with no number" page.md '^\| 2006-04 \| nog niet bekend \|  \|  \| nog niet bekend \|$'
has_text "md: the provisional median, marked" page.md '^\| 2006-02 \| 9,3 \* \| 8,0 – 11,0 \| 120 \| voorlopig \|$'
has_text "md: curves month 6 (known, suppressed, not yet known)" page.md \
	'^\| 6 \| 70,0% \| 65,0% – 75,0% \| 90 \| x \|  \|  \| nog niet bekend \|  \|  \|$'
has_text "md en: the 3-month row in English" page-en.md '^\| 2006-01 \| 80.0% \| 71.0% – 87.0% \| 100 \| known \|$'
has_text "md en: not yet known" page-en.md '^\| 2006-04 \| not yet known \|  \|  \| not yet known \|$'
has_text "md en: suppressed" page-en.md '^\| 2006-03 \| x \|  \|  \| suppressed \|$'
same_line "md: no handover table for WWB (none in the stream): 4 handover tables" 4 "$(grep -c '^### Overdracht' page.md)"
same_line "md: one curves table (WWB has no curve)" 1 "$(grep -c '^### Nog een uitkering na 1-18' page.md)"
same_line "md: the method line" '- `contacts=report;uwv_known=claim;min_n=10`' "$(grep '^- `' page.md)"
ok_if "md: no number of a suppressed row" sh -c '! grep -Eq "42,4|43,4|42\.4|43\.4" page.md page-en.md'

# --curves: the last N cohorts with a reading
cohort-page --curves 4 hand.csv > c4.html
same_line "--curves 4: four series in the curves chart (the fourth is s3)" "18 11 5 2" "$(python3 - c4.html <<'PY'
import sys, xml.etree.ElementTree as ET
svg = list(ET.parse(sys.argv[1]).getroot().iter("{http://www.w3.org/2000/svg}svg"))[9]
n = [sum(1 for c in svg.iter("{http://www.w3.org/2000/svg}circle") if c.get("class") == k) for k in ("pt", "pt s1", "pt s2", "pt s3")]
print(*n)
PY
)"
cohort-page --curves 1 --format md hand.csv > c1.md
same_line "--curves 1: the last cohort's curve only" "| maand | 2006-04 schatting | 95%-interval | n (risicoset) |" \
	"$(grep '^| maand' c1.md)"

# bad input and usage
expect_exit 2 "--lang de" cohort-page --lang de hand.csv
expect_exit 2 "--curves 0" cohort-page --curves 0 hand.csv
has_text "says what it takes" err 'curves'
expect_exit 2 "--format pdf" cohort-page --format pdf hand.csv
printf '#schema table/1\ntable,benefit,period,population,row,measure,estimate,ci_low,ci_high,n,suppressed,weighted,symbol,method\n' > report-table.csv
expect_exit 1 "the report's table/1 is not the monitor's" cohort-page report-table.csv
has_text "says what it reads" err 'section table/1: cohort-page reads cohort_table/1'
head -c 600 hand.csv.gz > cut.gz
expect_exit 1 "a cut stream" cohort-page --md cut.md --html cut.html cut.gz
ok_if "writes no page" test ! -e cut.md -a ! -e cut.html -a ! -e cut.md.partial
mkdir adir
expect_exit 1 "a folder as --html" cohort-page --html adir hand.csv
has_text "names it" err 'adir'
expect_exit 0 "--help" cohort-page --help
has_text "--help names every option" out '--curves N'
done_testing
