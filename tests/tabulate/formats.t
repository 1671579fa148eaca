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
has_text "md: the method line gives a suppressed model no n" hand.md 'model fig5_h1_wwb \(logit, gewichten design, variantie design, n = x, status ok\)'
has_text "md: the method line states the protection" hand.md \
	'x = onderdrukt: minder dan 10 personen, of aanvullend onderdrukt; geen onderdrukt aantal is uit de gepubliceerde cijfers tot minder dan een bereik van 10 personen te herleiden;'
has_text "md: the method line names the weighting and support_method" hand.md \
	'^\*Methode:\* ongewogen; .*support_method contacts=report;dont_know=no;carryover=yes;on_time=28$'
has_text "md: weighted tables say design-based" hand.md 'gewogen met design_weight; 95%-interval ontwerpgebaseerd \(gestratificeerd, gelineariseerd\)'
has_text "md: effects: relative effect, AME and interval" hand.md '^\| age_class:under_25 \| -0,50 \| -0,100 \| -0,178 – -0,022 \|$'
has_text "md: table1 symbols" hand.md '^\| contacts \| \+/- \|$'
has_text "md: a failed model is named" hand.md '^\*\*fig2_h2_ww\*\*: model mislukt; geen schattingen \(separation:h1_any_support\)$'
has_text "md: model tables name the models and spec hash" hand.md 'model table1_hours_h2_ww \(linear, gewichten design, variantie design, n = 400, status warning: high_condition_number\)'
tabulate --format md --lang en "$d/hand.spec" hand.csv > hand-en.md 2>/dev/null
has_text "md --lang en: English title" hand-en.md '^## Registry share \(`reg`\)$'
has_text "md --lang en: decimal point" hand-en.md '^\| large_distance \| 21.7 % \| 12.3 – 35.6 % \| 46 \|$'
has_text "md --lang en: method line" hand-en.md '^\*Method:\* unweighted; '
has_text "md --lang en: the protection in English" hand-en.md \
	'x = suppressed: fewer than 10 people, or complementary; no suppressed count can be narrowed down from the published figures to less than a range of 10 people;'
tabulate --format md --round-base 5 --protection 8 --tables reg,symbols "$d/hand.spec" hand.csv > r5.md 2>/dev/null
has_text "md --round-base 5: a count shown as a multiple of 5 (46 -> 45)" r5.md '^Populatie: on_benefit_6m; alle personen in de registratie; n = 45$'
has_text "md --round-base 5: the method line says so, and gives --protection" r5.md \
	'geen onderdrukt aantal is uit de gepubliceerde cijfers tot minder dan een bereik van 8 personen te herleiden; aantallen afgerond op veelvouden van 5;'
has_text "md --round-base 5: model n rounded (380 stays, 500 stays)" r5.md 'table1_applications_h2_ww \(negbin, gewichten design, variantie design, n = 380,'

# the real spec's labels: the report's own Dutch wording
python3 "$d/mksection.py" "$d/survey.csv" > people.csv
tabulate --format md --tables fig3,hours "$spec" people.csv > real.md
has_text "md: the report's wording for a form of support" real.md '^\| advies over vacatures zoeken \| [0-9]+,[0-9] % \| '
has_text "md: the report's figure title" real.md '^## Figuur 3 Vormen van ondersteuning in het eerste jaar na aanvraag van de uitkering \(WW\)'
has_text "md: footnotes of the figure" real.md 'aangenomen is dat trajecten die in het eerste halfjaar starten doorlopen in tweede halfjaar'

# HTML: the hand tables, and the real spec's people tables plus fig2 from the hand models
tabulate --format html "$d/hand.spec" hand.csv > hand.html 2>/dev/null
python3 "$KETEN_ROOT/tests/tabulate/htmlcheck.py" hand.html
{ cat people.csv; python3 "$d/mksection.py" model_fit/1 "$d/hand-fit.csv"; python3 "$d/mksection.py" model_coef/1 "$d/hand-coef.csv"; } > real.csv
tabulate --format html --lang en --tables coverage,fig1,fig2,fig3,handover,handover_support,handover_distance,hours,obligation,counts \
	"$spec" real.csv > real.html 2>/dev/null
python3 "$KETEN_ROOT/tests/tabulate/htmlcheck.py" real.html
has_text "html: lang attribute follows --lang" real.html '^<html lang="en">$'
has_text "html: a share bar is as long as the share (21.7 of 100)" hand.html '<rect class="bar" x="0.000" y="1" width="21.739" height="8"/>'
has_text "html: a negative effect is a bar to the left (-0.5 of 1)" hand.html '<rect class="bar neg" x="-50.000" y="1" width="50.000" height="8"/>'
has_text "html: a suppressed cell: x, no bar, no n" hand.html '^<div class="lbl">none</div><svg [^>]*aria-label="none: x"><rect class="track" x="0" y="1" width="100" height="8"/></svg><div class="val">x</div>$'
has_text "html: a block on fewer than --min-n people shows n = x" hand.html '^<p class="pop">wwb all: n = x</p>$'

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
