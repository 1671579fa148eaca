#!/usr/bin/env bash
# The cohort page rendered in headless Chromium (`make report-check` runs this too): the
# screenshot of the hand-made stream's page (mkhand.py) must show the interval bands
# (#cfe3f1) over many pixel rows and the indicator lines (#0072b2) across most of a
# chart's width, and the curves of the second and third of the last cohorts in their own
# colours (#d55e00, #009e73), on a wide screen and a phone's; a page of figures that are
# all not yet known (nothing to draw) must show none of these colours - so the check finds
# what is drawn, not the page's colours anywhere. Skipped (exit 77) without chromium.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/lib/shoot.sh"   # shoot, colour_counts
command -v chromium > /dev/null || { echo "chromium is not installed (make report-check installs it)"; exit 77; }
d=$KETEN_ROOT/tests/cohort-page
python3 "$d/mkhand.py" > hand.csv
cohort-page --html page.html hand.csv
# the curves alone: the three cohorts' lines on one chart
{ head -n 2 hand.csv; grep '^km,.*,ww,.*,surv,' hand.csv; } > curves.csv
cohort-page --html curves.html curves.csv
{ head -n 2 hand.csv; grep ',not_yet_known,' hand.csv; } > nothing.csv
cohort-page --html empty.html nothing.csv

for size in 1000x6000 420x6000; do
	w=${size%x*}
	if shoot page.html "shot-$size.png" "$w" "${size#*x}"; then
		ok_if "chromium rendered the cohort page at $size" true
	else
		ok_if "chromium rendered the cohort page at $size: $(tail -n 1 chromium.log)" false
		continue
	fi
	read -r band_rows _ band_px _ line_cols line_px < <(colour_counts "shot-$size.png" cfe3f1 0072b2)
	echo "# $size: band in $band_rows pixel rows ($band_px pixels), line in $line_cols columns ($line_px pixels)"
	ok_if "$size: bands drawn ($band_rows pixel rows hold the band colour, want >= 200)" test "${band_rows:-0}" -ge 200
	ok_if "$size: lines drawn across the charts ($line_cols columns hold the line colour, want >= $((w / 5)))" \
		test "${line_cols:-0}" -ge $((w / 5))
done
if shoot curves.html shot-curves.png 1000 900; then
	read -r _ c0 _ _ c1 _ _ c2 _ < <(colour_counts shot-curves.png 0072b2 d55e00 009e73)
	echo "# curves: columns holding each cohort's colour: $c0 $c1 $c2"
	# 2006-02 spans S(1..11), 2006-03 S(1..5), 2006-04 S(1..2) of the 17 steps of the x axis
	ok_if "the longest curve is the widest ($c0 > $c1 > $c2 > 0)" test "${c0:-0}" -gt "${c1:-0}" -a "${c1:-0}" -gt "${c2:-0}" -a "${c2:-0}" -gt 0
else
	ok_if "chromium rendered the curves page" false
fi
if shoot empty.html shot-empty.png 1000 3000; then
	read -r _ _ b _ _ l _ _ o _ _ g < <(colour_counts shot-empty.png cfe3f1 0072b2 d55e00 009e73)
	same_line "the page with nothing to draw shows no band, line or curve" "0 0 0 0" "$b $l $o $g"
else
	ok_if "chromium rendered the page with nothing to draw" false
fi
done_testing
