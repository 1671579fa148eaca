#!/usr/bin/env bash
# tabulate's report.html rendered in headless Chromium (tests/lib/shoot.sh; `make
# report-check` runs this too), from the committed test data (a stratified sample and the
# hand-made model sections) with the report's tables.spec. Each figure on a page of its own,
# and the screenshot's pixels checked by colours that page uses for one thing only:
#   - axes: the gridlines (#c5ced6) stand as vertical lines (>= 4 pixel columns holding
#     the colour over >= 20 rows: 20, 40, 60 and 80 %) in fig3's bars, and the tick marks
#     (#5a6f80) under them at six places (0 .. 100 %);
#   - whiskers on the effect bars (fig2): the whisker colour (#000000, nothing else is pure
#     black) runs through the pixel rows of the effect bars (#0072b2, #d55e00);
#   - grouped fig1/fig4: the first half-year's column (#0072b2) and the second's (#56b4e9)
#     side by side, so that many pixel rows hold both (stacked horizontal bars hold one);
#   - the page made from absolute paths (the checkout's spec, the stream in this folder)
#     names neither the checkout, /tmp nor this folder: Chromium's DOM after loading.
# A page without the figures (fig3 with every cell suppressed) must show no bar colour, so
# the checks find what is drawn. Skipped (exit 77) without chromium.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/lib/shoot.sh"   # shoot
command -v chromium > /dev/null || { echo "chromium is not installed (make report-check installs it)"; exit 77; }
d=$KETEN_ROOT/tests/tabulate/data
spec=$KETEN_ROOT/pipelines/eerste-jaar/tables.spec
{
	python3 "$d/mksection.py" "$d/survey.csv"
	python3 "$d/mksection.py" model_fit/1 "$d/hand-fit.csv"
	python3 "$d/mksection.py" model_coef/1 "$d/hand-coef.csv"
} > stream.csv
page() { tabulate --format html --tables "$1" "${@:3}" "$spec" "$PWD/stream.csv" > "$2" 2> /dev/null; }
page fig3 fig3.html
page fig2 fig2.html
page fig1,fig4 grouped.html
page fig3 none.html --min-n 100000

# pixels PNG RRGGBB...: per colour "rows cols vlines" (pixel rows holding it, columns
# holding it, columns holding it in >= 20 rows), then the rows holding the first two colours
# together, on one line
pixels() {
	PYTHONPATH="$KETEN_ROOT/tests/lib" python3 - "$@" <<'PY'
import sys
from png import read_png
w, h, rows = read_png(sys.argv[1])
cols = [tuple(int(c[i:i + 2], 16) for i in (0, 2, 4)) for c in sys.argv[2:]]
out = []
for c in cols:
    per_col = [0] * w
    nrows = 0
    for r in rows:
        hit = False
        for x, px in enumerate(r):
            if px == c:
                per_col[x] += 1
                hit = True
        nrows += hit
    out += [nrows, sum(1 for n in per_col if n), sum(1 for n in per_col if n >= 20)]
both = sum(1 for r in rows if cols[0] in r and cols[1] in r) if len(cols) > 1 else 0
print(*out, both)
PY
}

if shoot fig3.html fig3.png 1000 1400; then
	read -r _ _ grid_v _ tick_cols _ blue_rows _ _ _ < <(pixels fig3.png c5ced6 5a6f80 0072b2)
	echo "# fig3: gridline columns $grid_v, tick-mark columns $tick_cols, bar rows $blue_rows"
	ok_if "fig3: gridlines stand through the bars ($grid_v vertical gridlines, want >= 4)" test "${grid_v:-0}" -ge 4
	ok_if "fig3: tick marks under the bars ($tick_cols pixel columns, want >= 6)" test "${tick_cols:-0}" -ge 6
	ok_if "fig3: bars drawn ($blue_rows pixel rows, want >= 60)" test "${blue_rows:-0}" -ge 60
else
	ok_if "chromium rendered fig3: $(tail -n 1 chromium.log)" false
fi

if shoot fig2.html fig2.png 1000 1400; then
	read -r k_rows k_cols _ _ _ _ k_blue < <(pixels fig2.png 000000 0072b2)
	read -r _ _ _ _ _ _ k_orange < <(pixels fig2.png 000000 d55e00)
	echo "# fig2: whisker pixels in $k_rows rows, $k_cols columns; rows with a whisker and a bar: $k_blue blue, $k_orange orange"
	# fig2_h1_ww draws three effects (one negative): the whiskers cross their bars
	ok_if "fig2: whiskers through the positive effect bars ($k_blue rows, want >= 2)" test "${k_blue:-0}" -ge 2
	ok_if "fig2: whiskers through the negative effect bar ($k_orange rows, want >= 1)" test "${k_orange:-0}" -ge 1
	ok_if "fig2: whiskers are lines, not dots ($k_cols columns, want >= 30)" test "${k_cols:-0}" -ge 30
else
	ok_if "chromium rendered fig2: $(tail -n 1 chromium.log)" false
fi

if shoot grouped.html grouped.png 1000 1600; then
	read -r h1_rows _ _ h2_rows _ _ side < <(pixels grouped.png 0072b2 56b4e9)
	echo "# fig1+fig4: first half-year in $h1_rows rows, second in $h2_rows rows, both in $side rows"
	ok_if "fig1/fig4: first and second half-year columns side by side ($side pixel rows hold both, want >= 100)" \
		test "${side:-0}" -ge 100
else
	ok_if "chromium rendered fig1 and fig4: $(tail -n 1 chromium.log)" false
fi

if shoot none.html none.png 1000 1400; then
	read -r b _ _ o _ _ k _ _ _ < <(pixels none.png 0072b2 d55e00 000000)
	same_line "a page whose every cell is suppressed shows no bar and no whisker" "0 0 0" "$b $o $k"
else
	ok_if "chromium rendered the suppressed page" false
fi

# the DOM Chromium built from the page made with absolute paths
profile=$(mktemp -d "${TMPDIR:-/tmp}/render-profile.XXXXXX")
timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --user-data-dir="$profile" --dump-dom "file://$PWD/grouped.html" > dom.html 2> dump.log
rm -rf "$profile"
ok_if "chromium loaded the page (the DOM has the two grouped charts)" test "$(grep -o '<svg class="cols"' dom.html | wc -l)" = 2
same_line "no absolute path in the page: the checkout, /tmp or this folder" "" \
	"$(grep -oF -e "$KETEN_ROOT" -e /tmp -e "$PWD" dom.html | sort -u)"
done_testing
