#!/usr/bin/env bash
# tabulate --changes: the section "Sinds het vorige rapport" / "Since the last report" on a
# hand-made pair of tables whose beyond-interval cells are known by hand. NEW is tabulate's
# own table/1 of the hand-made stream of hand.t (its figures are worked out there); OLD is
# NEW with these cells changed by hand (awk below):
#   reg large_distance   0.05 (0.00 - 0.10), n 40. New 0.2173913 (0.1226091 - 0.3557369):
#                        d = 0.1673913; half-widths 0.05 and 0.1165639, combined
#                        sqrt(0.05^2 + 0.1165639^2) = 0.1268351 <= d: BEYOND,
#                        z = 0.1673913 * 1.959964 / 0.1268351 = +2.59
#   handover both        0.40 (0.36 - 0.44). New 0.4347826 (0.3020926 - 0.5775257): d =
#                        0.0347826 < sqrt(0.04^2 + 0.1377165^2) = 0.1434079: within
#   symbols advice       symbol + (now ++): changed (a symbol has no interval)
#   effects (all cells)  method tag aaaa000000000000 (now aaaa000000000001): a method
#                        change, 12 cells counted apart; asked_help's AME 0.6 (0.5 - 0.7)
#                        would be beyond (now 0.2, 0.102 - 0.298) but is not listed
#   small                published 0.30 (0.10 - 0.50), n 12; suppressed now: newly
#                        suppressed, not moved, nothing of it shown
# So: the method record of `effects` first, 3 cells moved (reg, handover, symbols), 1 of
# them beyond its interval, and one row: reg.
source "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/tabulate/data
spec=$d/hand.spec
. "$d/hand-stream.sh"
hand_stream > hand.csv
export REC_LEVEL=0
tabulate --csv new.csv --md plain.md --html plain.html "$spec" hand.csv 2> /dev/null
awk -F, -v OFS=, '
$1 == "reg" && $5 == "large_distance" { $7 = 0.05; $8 = 0; $9 = 0.10; $10 = 40 }
$1 == "handover" && $5 == "both" { $7 = 0.40; $8 = 0.36; $9 = 0.44 }
$1 == "symbols" && $5 == "advice" && $6 == "symbol" { $13 = "+" }
$1 == "effects" { $14 = "aaaa000000000000" }
$1 == "effects" && $5 == "asked_help" && $6 == "ame" { $7 = 0.6; $8 = 0.5; $9 = 0.7 }
$1 == "small" { $7 = 0.30; $8 = 0.10; $9 = 0.50; $10 = 12; $11 = 0 }
{ print }' new.csv > old.csv
compare-runs old.csv new.csv > changes.csv
same_line "the pair: compare-runs finds the one beyond cell worked out above" \
	"reg,ww,year,on_benefit_6m,large_distance,share" "$(awk -F, '$7 == "beyond" && $8 == 0' changes.csv | cut -d, -f1-6)"

expect_exit 0 "tabulate --changes renders both pages" \
	tabulate --changes changes.csv --md nl.md --html nl.html "$spec" hand.csv
expect_exit 0 "and in English" tabulate --lang en --changes changes.csv --md en.md --html en.html "$spec" hand.csv
cat > want-nl.md <<'EOF'
## Sinds het vorige rapport

De methode van deze tabellen is gewijzigd: elk verschil daarin is een methodewijziging, geen nieuws (12 cellen apart geteld).

| tabel | vorige methode | methode nu | cellen |
|:--|:--|:--|--:|
| Wie krijgt ondersteuning (`effects`) | `aaaa000000000000` | `aaaa000000000001` | 12 |

Vergeleken met het vorige gepubliceerde rapport zijn 3 cellen verschoven, waarvan 1 buiten haar interval.

| tabel | cel | vorig rapport | dit rapport | z |
|:--|:--|--:|--:|--:|
| Registeraandeel (`reg`) | large_distance · ww · year · on_benefit_6m | 5,0 % (0,0 – 10,0 %) | 21,7 % (12,3 – 35,6 %) | +2,59 |
EOF
sed -n '/^## Sinds/,/^| Registeraandeel/p' nl.md > got-nl.md
same_text "nl: the method change first, the counts, the one cell beyond its interval" want-nl.md got-nl.md
cat > want-en.md <<'EOF'
## Since the last report

The method of these tables changed: every difference in them is a change of method, not news (12 cells counted apart).

| table | previous method | method now | cells |
|:--|:--|:--|--:|
| Who gets support (`effects`) | `aaaa000000000000` | `aaaa000000000001` | 12 |

Compared with the last published report, 3 cells moved, 1 of them beyond its interval.

| table | cell | last report | this report | z |
|:--|:--|--:|--:|--:|
| Registry share (`reg`) | large_distance · ww · year · on_benefit_6m | 5.0 % (0.0 – 10.0 %) | 21.7 % (12.3 – 35.6 %) | +2.59 |
EOF
sed -n '/^## Since/,/^| Registry share/p' en.md > got-en.md
same_text "en: the same section in English" want-en.md got-en.md
same_line "the section comes before the first table" "## Since the last report" "$(grep -m 1 '^## ' en.md)"

# --previous: the comparison made in tabulate itself (runcmp.h, as compare-runs makes it),
# from OLD and the --csv it has just written: the same section, worked out above
expect_exit 0 "tabulate --previous OLD --csv NEW2: compared in tabulate" \
	tabulate --previous old.csv --csv new2.csv --md prev-nl.md "$spec" hand.csv
sed -n '/^## Sinds/,/^| Registeraandeel/p' prev-nl.md > got-prev-nl.md
same_text "--previous: the method change, the counts, the one cell beyond" want-nl.md got-prev-nl.md
ok_if "--previous: the whole page is --changes' page" cmp nl.md prev-nl.md
ok_if "--previous: the tables are the run's own" cmp new.csv new2.csv
expect_exit 2 "--previous without --csv: usage error" tabulate --previous old.csv --md x.md "$spec" hand.csv
same_line "... saying why" "tabulate: --previous needs --csv (the tables it compares)" "$(head -n 1 err)"
expect_exit 2 "--previous with --changes: usage error" tabulate --previous old.csv --changes changes.csv --csv y.csv --md x.md "$spec" hand.csv
expect_exit 1 "--previous of a change/1 stream, not tables: exit 1" tabulate --previous changes.csv --csv y.csv --md x.md "$spec" hand.csv
has_text "... naming the file and what it is not" err "^tabulate: changes\\.csv:2: section change/1: not a run's cells: those are table/1"
ok_if "... and no page" test ! -e x.md
same_line "the rest of the page is the page without --changes" "" \
	"$(diff <(sed '/^## Sinds/,/^## Registeraandeel/{/^## Registeraandeel/!d}' nl.md) plain.md)"
ok_if "a newly suppressed cell is not in the section (no old figure of it either)" \
	sh -c '! sed -n "/^## Sinds/,/^## Registeraandeel/p" nl.md | grep -Eq "Kleine cel|30,0"'

# html: the same rows in the page's table markup, well-formed
for l in nl en; do
	python3 - "$l.html" > "rows-$l.txt" <<'EOF' || echo "not ok - $l.html: the Python that reads its rows stopped before its end"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
sec = [s for s in root.iter('section') if s.get('id') == 'changes']
print(len(sec), [s.get('id') for s in root.iter('section')][0])
for tr in sec[0].iter('tr'):
    print(' | '.join(''.join(td.itertext()) for td in tr))
EOF
done
cat > want-rows-nl.txt <<'EOF'
1 changes
tabel | vorige methode | methode nu | cellen
Wie krijgt ondersteuning effects | aaaa000000000000 | aaaa000000000001 | 12
tabel | cel | vorig rapport | dit rapport | z
Registeraandeel reg | large_distance · ww · year · on_benefit_6m | 5,0 % (0,0 – 10,0 %) | 21,7 % (12,3 – 35,6 %) | +2,59
EOF
same_text "html (nl): one section, first, well-formed; the method table and the one row" want-rows-nl.txt rows-nl.txt
has_text "html (en): the row in English" rows-en.txt '^Registry share reg \| large_distance · ww · year · on_benefit_6m \| 5\.0 % \(0\.0 – 10\.0 %\) \| 21\.7 % \(12\.3 – 35\.6 %\) \| \+2\.59$'
has_text "html (en): the counts" en.html '<p>Compared with the last published report, 3 cells moved, 1 of them beyond its interval.</p>'

# no change at all: one sentence, no table
compare-runs new.csv new.csv > same.csv
tabulate --changes same.csv --md same.md "$spec" hand.csv 2> /dev/null
same_text "nothing moved: the section says so and lists nothing" \
	<(printf '%s\n' "## Sinds het vorige rapport" "" \
	  "Vergeleken met het vorige gepubliceerde rapport is geen cel verschoven." "" "## Registeraandeel (\`reg\`)") \
	<(sed -n '/^## Sinds/,/^## Registeraandeel/p' same.md)
# --tables: a page of some tables counts and lists only theirs
tabulate --tables handover,symbols,small,linked --changes changes.csv --format md "$spec" hand.csv > some.md 2> /dev/null
has_text "--tables handover,symbols,small,linked: 2 moved (handover within, the symbol), none beyond" some.md \
	'^Vergeleken met het vorige gepubliceerde rapport zijn 2 cellen verschoven, geen daarvan buiten haar interval\.$'
ok_if "--tables: no method table (effects is not on the page)" sh -c '! grep -q "vorige methode" some.md'
# without small and linked the audit needs fewer suppressions: handover's cwi_only is
# published on that page, suppressed in the run the stream compares
expect_exit 1 "--tables handover,symbols: the page suppresses otherwise than the stream's run: refused" \
	tabulate --tables handover,symbols --changes changes.csv --md x.md "$spec" hand.csv
has_text "naming the cell" err 'changes\.csv:[0-9]+: verdict: handover/ww/year/on_benefit_6m/cwi_only/share: this run publishes the cell$'

# the stream must be this run's: every record with a new side agrees with this run's cells
awk -F, -v OFS=, '$1 == "reg" && $5 == "large_distance" { $13 = 0.25 } { print }' changes.csv > other.csv
expect_exit 1 "a stream of another run (reg's new estimate is not this run's) is refused" \
	tabulate --changes other.csv --md x.md "$spec" hand.csv
has_text "naming the file, line, field and cell" err \
	'^tabulate: other\.csv:[0-9]+: new_estimate: reg/ww/year/on_benefit_6m/large_distance/share: not this run.s estimate$'
ok_if "and writes no page" test ! -e x.md
# a record that puts a figure on a cell this run suppresses
awk -F, -v OFS=, '$1 == "small" { $7 = "unsuppressed"; $13 = 0.3; $14 = 0.1; $15 = 0.5; $16 = 12 } { print }' \
	changes.csv > leak.csv
expect_exit 1 "a record that would publish a cell this run suppresses is refused" \
	tabulate --changes leak.csv --md x.md "$spec" hand.csv
has_text "because this run suppresses it" err 'leak\.csv:[0-9]+: verdict: small/wwb/h1/all/large_distance/share: this run suppresses the cell$'
awk -F, -v OFS=, '$1 == "small" { $13 = 0.3 } { print }' changes.csv > leak2.csv
expect_exit 1 "a suppressed verdict that carries the cell's figure is refused" \
	tabulate --changes leak2.csv --md x.md "$spec" hand.csv
has_text "naming the figure" err 'leak2\.csv:[0-9]+: new_estimate: small/.*: a suppressed cell has a figure in the stream$'
ok_if "and still no page" test ! -e x.md
expect_exit 1 "--changes on a table/1 file: refused" tabulate --changes new.csv --md x.md "$spec" hand.csv
has_text "it reads change/1" err 'section table/1: --changes reads change/1'
expect_exit 1 "--changes on a missing file: refused" tabulate --changes nothere.csv --md x.md "$spec" hand.csv
has_text "the --help names --changes" <(tabulate --help) '^  --changes FILE '
done_testing
