#!/usr/bin/env bash
# trend-page on a hand-made history of four runs (data/run1..4.csv): what every chart draws
# and every table says, worked out from the runs (trendcheck.py has the answers); a
# suppressed figure is a gap and publishes nothing; the runs in publication order whatever
# the order of the file; the page's words in both languages; bad input and usage.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/history/mkhistory.sh"
d=$KETEN_ROOT/tests/history/data
make_history history.gz
expect_exit 0 "trend-page writes the page" trend-page --headlines "$d/headlines.spec" history.gz
cp out page.html
python3 "$KETEN_ROOT/tests/history/trendcheck.py" page.html
ok_if "no script in the page" sh -c '! grep -qi "<script" page.html'
# the runs in another order in the file: the page is the same (publication order)
{ zcat history.gz | awk '/^#schema/ { n++ } n == 3 || n == 4'; zcat history.gz | awk '/^#schema/ { n++ } n <= 2'; } > shuffled.csv
expect_exit 0 "the history's members in another order" trend-page --headlines "$d/headlines.spec" shuffled.csv
same_text "give the same page" page.html out
expect_exit 0 "--lang en with the report's table spec" trend-page --lang en --headlines "$d/headlines.spec" \
	--tables "$KETEN_ROOT/pipelines/eerste-jaar/tables.spec" history.gz
has_text "English words" out '<html lang="en">'
has_text "the table spec's title of fig1" out 'Figure 1 Support to WW claimants'
has_text "the table spec's labels of the row, benefit and period" out 'support in looking for work · WW · first half-year'
has_text "a suppressed run says so" out '<td colspan="3" class="t">suppressed</td>'
expect_exit 2 "--headlines is required" trend-page history.gz
expect_exit 2 "--lang de" trend-page --lang de --headlines "$d/headlines.spec" history.gz
expect_exit 1 "a tables.csv is not a history" trend-page --headlines "$d/headlines.spec" "$d/run1.csv"
has_text "says what it reads" err 'section table/1: trend-page reads the history'
printf 'headline fig1 ww h1\n' > bad.spec
expect_exit 1 "a headline line of three words" trend-page --headlines bad.spec history.gz
has_text "names the file and line" err 'bad.spec:1: headline: needs TABLE BENEFIT PERIOD POPULATION ROW MEASURE'
head -c 300 history.gz > cut.gz
expect_exit 1 "a cut history" trend-page --headlines "$d/headlines.spec" cut.gz
has_text "is an error, not a shorter page" err 'truncated gzip stream'
same_line "and no page" 0 "$(wc -c < out)"
done_testing
