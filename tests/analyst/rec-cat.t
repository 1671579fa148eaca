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

# --pass and --keep: rec-cat in a pipeline (the report's chain: fit-models | rec-cat | tabulate)
members() {   # the gzip members of a file, counted by python3's zlib (not by our reader)
	python3 -c 'import sys, zlib
b = open(sys.argv[1], "rb").read(); n = 0
while b:
    d = zlib.decompressobj(31); d.decompress(b); b = d.unused_data; n += 1
print(n)' "$1"
}
expect_exit 0 "--pass: the stream goes on unchanged" sh -c 'rec-cat --pass --to unlinked/1=u2.csv < s.csv > passed'
ok_if "... byte for byte (plain)" cmp s.csv passed
same_text "... and the section is written beside it" want-unlinked.csv u2.csv
expect_exit 0 "--pass of a gzip stream" sh -c 'rec-cat --pass < s.csv.gz > passed.gz'
ok_if "... gzip stays gzip, byte for byte" cmp s.csv.gz passed.gz
expect_exit 0 "--keep FILE (plain) with --pass" sh -c 'rec-cat --pass --keep kept.csv < s.csv > /dev/null'
ok_if "... keeps the whole stream as it came" cmp s.csv kept.csv
expect_exit 0 "--keep FILE.gz with --to SECTION=FILE.gz (the tap)" sh -c 'rec-cat --pass --keep kept.gz --to table/1=t2.csv.gz --to unlinked/1=u3.csv.gz < s.csv > /dev/null'
same_text "... the kept stream is the input" s.csv <(gzip -dc kept.gz)
same_text "... table/1: both sections under one header" want-table.csv <(gzip -dc t2.csv.gz)
same_text "... unlinked/1" want-unlinked.csv <(gzip -dc u3.csv.gz)
# members by hand: kept = [#schema table/1] [header, 2 rows] [#schema unlinked/1] [header,
# 1 row] [#schema table/1, header] [1 row]: each section's #schema line ends a member, and
# a table/1 section after the first adds its rows only to table/1's file (its header once)
same_line "... members of the kept stream: each tapped section's body is one" 6 "$(members kept.gz)"
same_line "... members of table/1's file: the first section's header and rows, then the second's rows" 2 "$(members t2.csv.gz)"
same_line "... members of unlinked/1's file" 1 "$(members u3.csv.gz)"
same_line "... gzip -t accepts every file" "ok" "$(gzip -t kept.gz t2.csv.gz u3.csv.gz && echo ok)"
same_line "... the kept file and the tapped one are 0600" "600 600" "$(stat -c %a kept.gz t2.csv.gz | paste -sd' ')"
head -n 4 s.csv > cut.csv && printf '%s' 'fig1,wwb' >> cut.csv
expect_exit 1 "--pass --keep: a stream cut short: exit 1" sh -c 'rec-cat --pass --keep cut-k.gz --to table/1=cut-t.csv.gz < cut.csv > /dev/null'
has_text "... naming the line" err '^rec-cat: stdin:5: truncated stream'
same_line "... and no file left under its name" "" "$(ls cut-k.gz* cut-t.csv.gz* 2>/dev/null)"
expect_exit 2 "--keep without --pass: usage error" rec-cat --keep k.gz --to table/1=t.csv s.csv
expect_exit 2 "--pass with -o: usage error" rec-cat --pass -o x.csv table/1 s.csv
done_testing
