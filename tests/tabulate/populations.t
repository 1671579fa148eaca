#!/usr/bin/env bash
# Table conditions in the one condition language (filters/lib/cond.h) with named
# populations (issue 16): a spec that names its respondents through a populations file
# makes the same table/1 as one that writes them out, and both make the figures python3
# counts here from the people of data/survey.csv; --populations stands for the spec's line; the
# pages show a panel's respondents in the short form whatever names wrote them; what the
# tables cannot take ('or', 'not', '<') is refused with a message naming it.
source "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/tabulate/data
export REC_LEVEL=0
python3 "$d/mksection.py" "$d/survey.csv" > p.csv

cat > pops.spec <<'EOF'
# the respondents, and a set of people with two conditions
population resp2 = responded_w2 == 1
population big_sampled = large_distance and in_sample == 1
EOF
table() {  # table PANEL-COND SHARE-WHERE COUNT-WHERE [first line]
	printf '%s\ntable a\n  title.nl A\n  title.en A\n  benefit ww wwb\n  weights none\n' "${4:-}"
	printf '  panel year on_benefit_3m %s\n    row ld share large_distance where %s\n    row n count where %s\nend\n' "$1" "$2" "$3"
}
table "resp2" "phase in (2, 3)" "big_sampled" "populations pops.spec" > named.spec
table "responded_w2" "phase=2|3" "large_distance & in_sample=1" > literal.spec
expect_exit 0 "a spec with named populations runs" tabulate --min-n 0 named.spec p.csv
mv out named.csv
expect_exit 0 "the same spec written out runs" tabulate --min-n 0 literal.spec p.csv
mv out literal.csv
same_text "names and the written-out conditions make the same table/1" literal.csv named.csv

# the known answer, counted from the compact rows (not through tabulate's code)
python3 - "$d/survey.csv" named.csv <<'PY' || echo "not ok - named populations: the Python checks stopped before their end"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
out = {(r['benefit'], r['row']): r for r in csv.DictReader(l for l in open(sys.argv[2]) if not l.startswith('#schema'))}
def ok(c, d): print(('ok - ' if c else 'not ok - ') + d)
for b in ('ww', 'wwb'):
    pop = [r for r in rows if r['benefit'] == b and r['on_benefit_3m'] == '1' and r['responded_w2'] == '1']
    ld = [r for r in pop if r["phase"] in ("2", "3") and r["large_distance"] != ""]
    k = sum(r['large_distance'] == '1' for r in ld)
    cnt = sum(r['large_distance'] == '1' and r['in_sample'] == '1' for r in pop)
    got, got_n = out.get((b, 'ld'), {}), out.get((b, 'n'), {})
    ok(len(ld) > 5 and 0 < k < len(ld), '%s: the known answer is not trivial (%d of %d)' % (b, k, len(ld)))
    ok(got.get('n') == str(len(ld)) and abs(float(got.get('estimate') or 'nan') - k / max(len(ld), 1)) < 1e-12,
       '%s: the share among the named respondents: %d of %d (got %s of n %s)' % (b, k, len(ld), got.get('estimate'), got.get('n')))
    ok(cnt > 0 and got_n.get('estimate') == str(cnt), '%s: the count of a named two-condition set: %d (got %s)' % (b, cnt, got_n.get('estimate')))
PY

# the pages show the respondents as what they are, not as the name that wrote them
expect_exit 0 "md with named populations" tabulate --min-n 0 --format md named.spec p.csv
has_text "md: the respondents in the short form" out '^Populatie: on_benefit_3m; respondenten: responded_w2; n = [0-9]+$'

# --populations stands for the spec's line
sed 's/responded_w2 == 1/responded_w2 == 0/' pops.spec > pops0.spec
expect_exit 0 "--populations FILE replaces the spec's populations line" tabulate --min-n 0 --format md --populations pops0.spec named.spec p.csv
has_text "--populations: the panel follows the other file" out '^Populatie: on_benefit_3m; respondenten: responded_w2=0; n = [0-9]+$'
n_other=$(python3 -c "
import csv
rows = list(csv.DictReader(open('$d/survey.csv')))
print(sum(r['benefit'] == 'ww' and r['on_benefit_3m'] == '1' and r['responded_w2'] == '0' for r in rows))")
has_text "--populations: its n is the other respondents' ($n_other)" out "^Populatie: on_benefit_3m; respondenten: responded_w2=0; n = $n_other\$"

# spec lines: a continuation and comments after white space (specfile.h, as models.spec)
{ echo 'populations pops.spec   # the names'; echo 'table a'; echo '  title.nl A'; echo '  title.en A'
  echo '  benefit ww wwb # two blocks'; echo '  weights none'; echo '  panel year on_benefit_3m \'
  echo '      resp2'; echo '    row ld share large_distance where phase in (2, 3)'
  echo '    row n count where big_sampled'; echo 'end'; } > cont.spec
expect_exit 0 "a spec with a continued line and comments runs" tabulate --min-n 0 cont.spec p.csv
same_text "... and makes the same table/1" named.csv out

# refused: what the disclosure audit cannot build a person for, unknown names, misplaced lines
refused() {  # description, expected message, spec text
	printf '%s\n' "$3" > s.spec
	expect_exit 1 "refused: $1" tabulate s.spec p.csv
	same_line "refused: $1: message" "$2" "$(cat err)"
}
body='table t\n  title.nl T\n  title.en T\n  benefit ww\n  weights none\n'
refused "or" "tabulate: s.spec:7: 'or' in a table condition: tabulate takes COL, COL=V|V, COL!=V|V and COL in (V, ...) joined by 'and' or '&'" \
	"$(printf "populations pops.spec\n$body  panel year all resp2 or in_sample\n    row x count\nend")"
refused "not" "tabulate: s.spec:6: 'not' in a table condition: tabulate takes COL, COL=V|V, COL!=V|V and COL in (V, ...) joined by 'and' or '&'" \
	"$(printf "$body  panel year all not in_sample\n    row x count\nend")"
refused "an ordering" "tabulate: s.spec:7: '<' in a table condition: tabulate takes COL, COL=V|V, COL!=V|V and COL in (V, ...) joined by 'and' or '&'" \
	"$(printf "$body  panel year all\n    row x count where age < 30\nend")"
refused "an unknown name reads as a column" "tabulate: s.spec:6: resp9: no such column in person_support/1" \
	"$(printf "$body  panel year all resp9\n    row x count\nend")"
refused "a name without its populations line" "tabulate: s.spec:6: resp2: no such column in person_support/1" \
	"$(printf "$body  panel year all resp2\n    row x count\nend")"
refused "populations after a table" "tabulate: s.spec:9: populations: must come before the first table" \
	"$(printf "$body  panel year all\n    row x count\nend\npopulations pops.spec")"
refused "a populations file that is not there" "tabulate: s.spec:1: populations: nosuch.spec: No such file or directory" \
	"$(printf "populations nosuch.spec\n$body  panel year all\n    row x count\nend")"
printf 'population bad = responded_w2 ==\n' > badpops.spec
refused "a bad definition in the populations file" "tabulate: s.spec:1: populations: badpops.spec:1: a value expected after responded_w2" \
	"$(printf "populations badpops.spec\n$body  panel year all\n    row x count\nend")"
refused "a share of two columns" "tabulate: s.spec:7: share large_distance&in_sample: one column and its values expected (COL or COL=V|V)" \
	"$(printf "$body  panel year all\n    row x share large_distance&in_sample\nend")"
done_testing
