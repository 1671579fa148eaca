#!/usr/bin/env bash
# --format md and --format html: what a reader sees (titles, population and n, estimate
# with interval, method line; nl and en), and the HTML page's well-formedness, checked by
# htmlcheck.py (strict tag balance with html.parser, XML well-formedness, self-contained).
source "$KETEN_ROOT/tests/lib/tap.sh"
d=$KETEN_ROOT/tests/tabulate/data
spec=$KETEN_ROOT/pipelines/eerste-jaar/tables.spec
{
	python3 "$d/mksection.py" "$d/hand-people.csv"
	python3 "$d/mksection.py" model_fit/1 "$d/hand-fit.csv"
	python3 "$d/mksection.py" model_coef/1 "$d/hand-coef.csv"
} > hand.csv

# Markdown, Dutch: the report's decimal comma, percent, interval, n, method line
tabulate --format md "$d/hand.spec" hand.csv > hand.md 2>/dev/null
has_text "md: a table's title and id" hand.md '^## Registeraandeel \(`reg`\)$'
has_text "md: the population and its n" hand.md '^Populatie: on_benefit_6m; alle personen in de registratie; n = 46$'
has_text "md: estimate with interval and n (nl)" hand.md '^\| large_distance \| 21,7 % \| 12,3 – 35,6 % \| 46 \|$'
has_text "md: a suppressed cell shows x and no count" hand.md '^\| none \| x \|  \| x \|$'
has_text "md: a block on fewer than --min-n people shows n = x" hand.md '^Populatie: all; alle personen in de registratie; n = x$'
has_text "md: a suppressed model's block shows n = x" hand.md '^Populatie: on_benefit_3m; n = x$'
has_text "md: the appendix gives a suppressed model no n" hand.md '^- `effects`: .*model fig5_h1_wwb \(logit, gewichten design, variantie design, n = x, status ok, spec_hash aaaa000000000001\)'
has_text "md: the method line states the protection" hand.md \
	'x = onderdrukt: minder dan 10 personen, of aanvullend onderdrukt; geen onderdrukt aantal is uit de gepubliceerde cijfers tot minder dan een bereik van 10 personen te herleiden$'
has_text "md: the method line names the weighting in plain words" hand.md '^\*Methode:\* ongewogen; 95%-interval volgens Wilson '
has_text "md: the appendix holds the support_method tag" hand.md '^- `reg`: support_method contacts=report;dont_know=no;carryover=yes;on_time=28$'
ok_if "md: no internal names in the method lines" sh -c "! grep -Eq '^\\*Methode:\\*.*(support_method|spec_hash|design_weight|responded_w)' hand.md"
has_text "md: weighted tables say so in plain words" hand.md 'gewogen naar de opzet van de steekproef, zodat de cijfers gelden voor alle aanvragers'
has_text "md: the appendix names the design weight" hand.md '^- `[a-z_]*`: weights design_weight \(strata: stratum\)'
# AME -0.10, se 0.04: -0.10 -+ 1.96 x 0.04 = -0.178 .. -0.022, which excludes 0: marked
has_text "md: effects: AME with its mark and interval" hand.md '^\| age_class:under_25 \| -0,100 \\\* \| -0,178 – -0,022 \|$'
# AME -0.05, se 0.04: -0.128 .. 0.028 holds 0: no mark
has_text "md: effects: an AME whose interval holds 0 has no mark" hand.md '^\| large_distance \| -0,050 \| -0,128 – 0,028 \|$'
has_text "md: the note states the rule of the mark" hand.md '\\\* : het 95%-interval van het effect sluit 0 uit'
has_text "md: table1 symbols" hand.md '^\| contacts \| \+/- \|$'
has_text "md: a failed model is named" hand.md '^\*\*fig2_h2_ww\*\*: model mislukt; geen schattingen \(separation:h1_any_support\)$'
has_text "md: the appendix names the models and spec hash" hand.md 'model table1_hours_h2_ww \(linear, gewichten design, variantie design, n = 400, status warning: high_condition_number, spec_hash bbbb000000000002\)'
tabulate --format md --lang en "$d/hand.spec" hand.csv > hand-en.md 2>/dev/null
has_text "md --lang en: English title" hand-en.md '^## Registry share \(`reg`\)$'
has_text "md --lang en: decimal point" hand-en.md '^\| large_distance \| 21.7 % \| 12.3 – 35.6 % \| 46 \|$'
has_text "md --lang en: method line" hand-en.md '^\*Method:\* unweighted; '
has_text "md --lang en: the protection in English" hand-en.md \
	'x = suppressed: fewer than 10 people, or complementary; no suppressed count can be narrowed down from the published figures to less than a range of 10 people$'
tabulate --format md --round-base 5 --protection 8 --tables reg,symbols "$d/hand.spec" hand.csv > r5.md 2>/dev/null
has_text "md --round-base 5: a count shown as a multiple of 5 (46 -> 45)" r5.md '^Populatie: on_benefit_6m; alle personen in de registratie; n = 45$'
has_text "md --round-base 5: the method line says so, and gives --protection" r5.md \
	'geen onderdrukt aantal is uit de gepubliceerde cijfers tot minder dan een bereik van 8 personen te herleiden; aantallen afgerond op veelvouden van 5$'
has_text "md --round-base 5: model n rounded (380 stays, 500 stays)" r5.md 'table1_applications_h2_ww \(negbin, gewichten design, variantie design, n = 380,'

# the opening line: the spec's file name (it was given with its path), the run date and
# the extract dates in the order given
tabulate --format md --run-date 2026-12-03 --extract-date uitkeringen=2007-04-16 --extract-date golf3=2007-05-01 \
	--tables reg "$d/hand.spec" hand.csv > dates.md 2> /dev/null
same_line "md: the opening line names the spec, the run date and the extract dates" \
	"Gemaakt door tabulate uit hand.spec; datum van de run: 2026-12-03; peildatum van de bestanden: uitkeringen 2007-04-16, golf3 2007-05-01" \
	"$(sed -n 3p dates.md)"
tabulate --format html --lang en --run-date 2026-12-03 --extract-date uitkeringen=2007-04-16 --tables reg "$d/hand.spec" hand.csv > dates.html 2> /dev/null
has_text "html --lang en: the opening line" dates.html \
	'^<p class="notes">Made by tabulate from hand.spec; run date: 2026-12-03; extract date of the files: uitkeringen 2007-04-16</p>$'

# --extract-dates FILE: the same dates from a file (KIND=DATE lines; the pipeline's ingest
# writes it), read at the end of the input; the same opening line as the options above
printf 'uitkeringen=2007-04-16\ngolf3=2007-05-01\n' > dates.txt
tabulate --format md --run-date 2026-12-03 --extract-dates dates.txt --tables reg "$d/hand.spec" hand.csv > dates2.md 2> /dev/null
same_line "md: --extract-dates FILE gives the same opening line" \
	"Gemaakt door tabulate uit hand.spec; datum van de run: 2026-12-03; peildatum van de bestanden: uitkeringen 2007-04-16, golf3 2007-05-01" \
	"$(sed -n 3p dates2.md)"
printf 'uitkeringen=2007-04-16\ngolf3=1 mei\n' > bad-dates.txt
expect_exit 1 "--extract-dates: a line that is not KIND=DATE: exit 1" tabulate --format md --tables reg --extract-dates bad-dates.txt "$d/hand.spec" hand.csv
same_line "... naming the file and line" "tabulate: bad-dates.txt:2: not KIND=YYYY-MM-DD: 'golf3=1 mei'" "$(cat err)"
expect_exit 1 "--extract-dates: a file that is not there: exit 1" tabulate --format md --tables reg --extract-dates none.txt "$d/hand.spec" hand.csv
same_line "... saying so" "tabulate: none.txt: cannot read: No such file or directory" "$(cat err)"

# the real spec's labels: the report's own Dutch wording
python3 "$d/mksection.py" "$d/survey.csv" > people.csv
tabulate --format md --tables fig3,hours "$spec" people.csv > real.md
has_text "md: the report's wording for a form of support" real.md '^\| advies over vacatures zoeken \| [0-9]+,[0-9] % \| '
has_text "md: the report's figure title" real.md '^## Figuur 3 Vormen van ondersteuning in het eerste jaar na aanvraag van de uitkering \(WW\)'
has_text "md: footnotes of the figure" real.md 'aangenomen is dat trajecten die in het eerste halfjaar starten doorlopen in tweede halfjaar'

# --pages-weighted with --weights both: the tables have each survey cell twice (weighted 1
# and 0), the pages only the weighted one - the page --weights design makes - in one pass
tabulate --weights both --pages-weighted --md pw.md --csv pw.gz --tables fig3,hours,counts "$spec" people.csv 2> /dev/null
tabulate --weights design --md design.md --tables fig3,hours,counts "$spec" people.csv 2> /dev/null
tabulate --weights both --md both.md --tables fig3,hours,counts "$spec" people.csv 2> /dev/null
ok_if "--pages-weighted: the page is --weights design's, byte for byte" cmp pw.md design.md
has_text "... where --weights both alone shows the unweighted twins" both.md '(ongewogen)'
same_line "... while the tables have both: as many cells weighted 0 as 1 in fig3" "$(gzip -dc pw.gz | awk -F, '$1 == "fig3" && $12 == 1' | wc -l)" \
	"$(gzip -dc pw.gz | awk -F, '$1 == "fig3" && $12 == 0' | wc -l)"

# HTML: the hand tables, and the real spec's people tables plus fig2 from the hand models
tabulate --format html "$d/hand.spec" hand.csv > hand.html 2>/dev/null
python3 "$KETEN_ROOT/tests/tabulate/htmlcheck.py" hand.html
{ cat people.csv; python3 "$d/mksection.py" model_fit/1 "$d/hand-fit.csv"; python3 "$d/mksection.py" model_coef/1 "$d/hand-coef.csv"; } > real.csv
tabulate --format html --lang en --tables coverage,fig1,fig2,fig3,handover,handover_support,handover_distance,hours,obligation,counts \
	"$spec" real.csv > real.html 2>/dev/null
python3 "$KETEN_ROOT/tests/tabulate/htmlcheck.py" real.html
has_text "html: lang attribute follows --lang" real.html '^<html lang="en">$'
has_text "html: a share bar is as long as the share (21.7 of 100)" hand.html '<rect class="bar" x="0.000" y="1" width="21.739" height="8"/>'
# fig2_h1_ww's drawn effects reach 0.20 + 1.96 x 0.05 = 0.298: an axis of -0.4 .. 0.4 (ticks
# every 0.2), so AME -0.10 is a quarter of the half-width to the left and its interval
# -0.178 .. -0.022 spans -44.6 .. -5.4
has_text "html: a negative effect is a bar to the left (-0.10 of 0.4)" hand.html '<rect class="bar neg" x="-25.000" y="1" width="25.000" height="8"/>'
has_text "html: the effect's interval is drawn as a whisker" hand.html '<rect class="bar neg" x="-25.000" y="1" width="25.000" height="8"/><line class="ci" x1="-44.600" x2="-5.400" y1="5" y2="5"'
has_text "html: the effects' axis has tick marks and labels -0,4 .. 0,4" hand.html '<div class="ticks" aria-hidden="true"><svg [^>]*><line class="tm" x1="0.000" [^>]*/><line class="tm" x1="25.000" [^>]*/><line class="tm" x1="50.000" [^>]*/><line class="tm" x1="75.000" [^>]*/><line class="tm" x1="100.000" [^>]*/></svg><span style="left:0.000%">-0,4</span><span style="left:25.000%">-0,2</span><span style="left:50.000%">0,0</span><span style="left:75.000%">0,2</span><span style="left:100.000%">0,4</span></div>'
has_text "html: an effect whose interval holds 0 is listed, not drawn" hand.html '^<p class="ns">niet significant: large_distance, obligation:dont_know</p>$'
has_text "html: a share's axis: ticks every 20 %" hand.html '<span style="left:20.000%">20 %</span><span style="left:40.000%">40 %</span>'
has_text "html: gridlines under a share's bar at 20, 40, 60, 80 %" hand.html '<rect class="track" x="0" y="1" width="100" height="8"/><line class="grid" x1="20.000" x2="20.000" [^>]*/><line class="grid" x1="40.000" x2="40.000" [^>]*/><line class="grid" x1="60.000" x2="60.000" [^>]*/><line class="grid" x1="80.000" x2="80.000" [^>]*/><rect class="bar"'
has_text "html: a suppressed cell: x, no bar, no n" hand.html '^<div class="lbl">none</div><svg [^>]*aria-label="none: x"><rect class="track" x="0" y="1" width="100" height="8"/>(<line class="grid"[^>]*/>)*</svg><div class="val">x</div>$'
has_text "html: a block on fewer than --min-n people shows n = x" hand.html '^<p class="pop">wwb all: n = x</p>$'

# a withheld model's warnings lose their numbers (the count of dropped people would undo
# the suppression of its n), not the digits of a name: fig2_h2_ww (n 450) under --min-n 500
sed 's/^fig2_h2_ww,\(.*\),separation:h1_any_support,/fig2_h2_ww,\1,separation:h1_any_support;dropped_incomplete:37;few_events:4.5,/' \
	"$d/hand-fit.csv" > warn-fit.csv
{ python3 "$d/mksection.py" "$d/hand-people.csv"; python3 "$d/mksection.py" model_fit/1 warn-fit.csv
  python3 "$d/mksection.py" model_coef/1 "$d/hand-coef.csv"; } > warn.csv
tabulate --format md --tables effects "$d/hand.spec" warn.csv > warn.md 2> /dev/null
has_text "md: a published model's warnings as fit-models wrote them" warn.md \
	'^\*\*fig2_h2_ww\*\*: model mislukt; geen schattingen \(separation:h1_any_support;dropped_incomplete:37;few_events:4\.5\)$'
tabulate --format md --min-n 500 --protection 1 --tables effects "$d/hand.spec" warn.csv > warn500.md 2> /dev/null
has_text "md: a withheld model's warnings without their numbers, with the names' digits" warn500.md \
	'^\*\*fig2_h2_ww\*\*: model mislukt; geen schattingen \(separation:h1_any_support;dropped_incomplete:x;few_events:x\.x\)$'

# every text is escaped
cat > esc.spec <<'SPEC'
label.nl large_distance afstand <b>&"'</b>
table esc
  title.nl Titel met <script>alert("x")</script> & 'quotes' | pipe
  title.en Title
  benefit ww
  weights none
  panel year on_benefit_6m
    row large_distance share large_distance
end
SPEC
tabulate --format html esc.spec hand.csv > esc.html
python3 "$KETEN_ROOT/tests/tabulate/htmlcheck.py" esc.html
has_text "html: text is escaped" esc.html 'Titel met &lt;script&gt;alert\(&quot;x&quot;\)&lt;/script&gt; &amp; &#39;quotes&#39; \| pipe'
has_text "html: labels are escaped" esc.html 'afstand &lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;'
tabulate --format md esc.spec hand.csv > esc.md
has_text "md: '|' and '<' are escaped" esc.md '^## Titel met \\<script\\>alert\("x"\)\\</script\\> & .quotes. \\\| pipe'
done_testing
