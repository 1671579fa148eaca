#!/usr/bin/env bash
# rec-cat on hand-made streams: one section as plain CSV, the header first, the records'
# bytes as they were (quoted fields stay quoted), every section of that schema in every
# input under one header; several sections in one pass (--to); gzip output by name; the
# errors. Each expected file is written out here by hand.
. "$KETEN_ROOT/tests/lib/tap.sh"
H='table,benefit,period,population,row,measure,estimate,ci_low,ci_high,n,suppressed,weighted,symbol,method'
U='section,source_line,person_key,respondent_id,reason,detail'
printf '#schema table/1\n%s\n%s\n%s\n#schema unlinked/1\n%s\n%s\n#schema table/1\n%s\n%s\n' "$H" \
	'coverage,ww,year,on_benefit_6m,any_support,share,0.5,0.4,0.6,100,0,1,,"a=1;b=""x, y"""' \
	'fig1,wwb,h1,all,advice,share,,,,,1,1,,' "$U" \
	'wave1/1,7,,r-9,"no_index_application","line one
line two"' "$H" 'counts,ww,year,all,persons,count,42,,,42,0,0,,' > s.csv
printf '%s\n%s\n%s\n%s\n' "$H" 'coverage,ww,year,on_benefit_6m,any_support,share,0.5,0.4,0.6,100,0,1,,"a=1;b=""x, y"""' \
	'fig1,wwb,h1,all,advice,share,,,,,1,1,,' 'counts,ww,year,all,persons,count,42,,,42,0,0,,' > want-table.csv
printf '%s\n%s\n' "$U" 'wave1/1,7,,r-9,"no_index_application","line one
line two"' > want-unlinked.csv
expect_exit 0 "rec-cat table/1 FILE" rec-cat table/1 s.csv
same_text "... the header, then both table/1 sections' records, bytes as they were" want-table.csv out
expect_exit 0 "rec-cat NAME (any version) from stdin" sh -c 'rec-cat table < s.csv'
same_text "... the same" want-table.csv out
gzip -c s.csv > s.csv.gz
expect_exit 0 "two inputs, one gzip" rec-cat -o two.csv table/1 s.csv s.csv.gz
same_text "... one header, the records of both in order" <(cat want-table.csv; tail -n +2 want-table.csv) two.csv
expect_exit 0 "--to: two sections in one pass, one of them gzip" rec-cat --to table/1=t.csv --to unlinked/1=u.csv.gz s.csv
same_text "--to: table/1" want-table.csv t.csv
ok_if "--to: FILE.gz is gzip" gzip -t u.csv.gz
same_text "--to: unlinked/1 (a field with a line end stays one quoted field)" want-unlinked.csv <(gzip -dc u.csv.gz)
same_line "files are created 0600" "600 600" "$(stat -c %a t.csv u.csv.gz | paste -sd' ')"
same_line "python3's csv reads the quoted fields back" 'a=1;b="x, y"|line one\nline two' \
	"$(python3 -c 'import csv, gzip
t = list(csv.DictReader(open("t.csv", newline="")))
u = list(csv.DictReader(gzip.open("u.csv.gz", "rt", newline="")))
print(t[0]["method"] + "|" + u[0]["detail"].replace("\n", "\\n"))')"
expect_exit 1 "a section not in the input: exit 1" rec-cat -o none.csv reject/1 s.csv
same_line "... says so, and leaves no file" "rec-cat: no section reject/1 in the input|" "$(cat err)|$(ls none.csv* 2>/dev/null)"
printf '#schema table/1\ntable,benefit\n' > bad.csv
expect_exit 1 "a header that is not the schema's: exit 1" rec-cat table/1 bad.csv
has_text "... naming file and line" err '^rec-cat: bad.csv:2: '
expect_exit 2 "no SECTION: usage error" rec-cat
expect_exit 2 "--to without '=': usage error" rec-cat --to table/1 s.csv
expect_exit 2 "-o with --to: usage error" rec-cat -o x.csv --to table/1=t.csv s.csv
expect_exit 2 "a section named twice: usage error" rec-cat --to table/1=a.csv --to table/1=b.csv s.csv
done_testing
