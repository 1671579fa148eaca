#!/usr/bin/env bash
# rec-export without R: what it refuses, and that a refused or failed export leaves no file;
# the same input gives the same bytes (the file's date is the input's mtime).
. "$KETEN_ROOT/tests/lib/tap.sh"
H='section,source_line,person_key,respondent_id,reason,detail'
printf '#schema unlinked/1\n%s\n%s\n' "$H" 'wave1/1,7,,r-9,no_index_application,one' > u.csv
expect_exit 0 "an unlinked/1 section to .dta" rec-export --section unlinked/1 -o u.dta u.csv
cp -p u.csv u2.csv
expect_exit 0 "... again from a copy with the same mtime" rec-export --section unlinked/1 -o u2.dta u2.csv
ok_if "the same input gives the same bytes" cmp -s u.dta u2.dta
expect_exit 1 "a section not in the input: exit 1" rec-export -o p.sav u.csv
ok_if "... and no file left" test ! -e p.sav -a ! -e p.sav.partial
expect_exit 2 "no -o: usage error" rec-export u.csv
expect_exit 2 "an ending that is neither .sav nor .dta, no --format: usage error" rec-export -o p.xls u.csv
expect_exit 2 "--lang de: usage error" rec-export --lang de -o p.sav u.csv
printf '#schema unlinked/1\n%s\n%s\n' "$H" 'wave1/1,7,,r-9,not_a_reason,one' > bad.csv
expect_exit 1 "a code the schema does not have: exit 1" rec-export --section unlinked/1 -o b.sav bad.csv
has_text "... naming file, line and field" err '^rec-export: bad.csv:3: reason: '
ok_if "... and no file left" test ! -e b.sav -a ! -e b.sav.partial
done_testing
