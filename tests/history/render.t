#!/usr/bin/env bash
# The trend page rendered in headless Chromium (as `make report-check` renders the report;
# that target runs this too): the screenshot of the page of a hand-made four-run history
# must show the interval bands (#cfe3f1) over many pixel rows and the lines (#0072b2)
# across most of a chart's width, on a wide screen and a phone's; a page whose only figure
# is suppressed in its only run (nothing to draw) must show neither - so the check finds
# what is drawn, not the page's colours anywhere. Skipped (exit 77) without chromium:
# `make report-check` installs it (Debian's chromium) as root.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/history/mkhistory.sh"
. "$KETEN_ROOT/tests/lib/shoot.sh"   # shoot
command -v chromium > /dev/null || { echo "chromium is not installed (make report-check installs it)"; exit 77; }
d=$KETEN_ROOT/tests/history/data
make_history history.gz
trend-page --headlines "$d/headlines.spec" history.gz > page.html
history-stamp --run R3 --publication 1 --published 2007-03-01T02:30:00Z --code-version v1 --extracts-sha256 aa \
	"$d/run3.csv" > only-suppressed.gz
grep -v hours "$d/headlines.spec" | grep -v fig4 > fig1.spec
trend-page --headlines fig1.spec only-suppressed.gz > empty.html

# colours PNG: pixel rows holding band colour, columns holding line colour, and both totals
colours() {
	PYTHONPATH="$KETEN_ROOT/tests/lib" python3 - "$1" <<'PY'
import sys
from png import read_png
w, h, rows = read_png(sys.argv[1])
BAND, LINE = (0xcf, 0xe3, 0xf1), (0x00, 0x72, 0xb2)
band_rows = sum(1 for r in rows if r.count(BAND) >= 5)
line_cols = len({x for r in rows for x, px in enumerate(r) if px == LINE})
band_px = sum(r.count(BAND) for r in rows)
line_px = sum(r.count(LINE) for r in rows)
print(w, band_rows, line_cols, band_px, line_px)
PY
}

for size in 1000x2400 420x2400; do
	w=${size%x*}
	if shoot page.html "shot-$size.png" "$w" "${size#*x}"; then
		ok_if "chromium rendered the trend page at $size" true
	else
		ok_if "chromium rendered the trend page at $size: $(tail -n 1 chromium.log)" false
		continue
	fi
	read -r pw band_rows line_cols band_px line_px < <(colours "shot-$size.png")
	echo "# $size: band in $band_rows pixel rows ($band_px pixels), line in $line_cols columns ($line_px pixels)"
	ok_if "$size: bands drawn ($band_rows pixel rows hold the band colour, want >= 100)" test "${band_rows:-0}" -ge 100
	# a chart is at most 40rem (640 px) wide, less on the phone: its plot spans most of it
	ok_if "$size: lines drawn across the charts ($line_cols of $pw columns hold the line colour, want >= $((w / 5)))" \
		test "${line_cols:-0}" -ge $((w / 5))
done
if shoot empty.html shot-empty.png 1000 1200; then
	read -r pw band_rows line_cols band_px line_px < <(colours shot-empty.png)
	same_line "the page with nothing to draw shows no band and no line" "0 0" "$band_px $line_px"
else
	ok_if "chromium rendered the page with nothing to draw" false
fi
done_testing
