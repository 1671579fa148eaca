# tests/lib/shoot.sh - render a page in headless Chromium (source it; tests that need
# chromium skip themselves, exit 77, when it is missing: `make report-check` installs it).
#
#   shoot PAGE PNG WIDTH HEIGHT    screenshot of PAGE (in $PWD) into PNG; fails when none
#   colour_counts PNG RRGGBB...    per colour: the pixel rows holding at least 5 pixels of it,
#                                  the columns holding one, and its pixels ("rows cols px"
#                                  per colour, on one line)
shoot() {
	local profile
	profile=$(mktemp -d "${TMPDIR:-/tmp}/render-profile.XXXXXX")
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" --screenshot="$PWD/$2" --window-size="$3,$4" "file://$PWD/$1" > chromium.log 2>&1
	rm -rf "$profile"
	[ -s "$2" ]
}
colour_counts() {
	PYTHONPATH="$KETEN_ROOT/tests/lib" python3 - "$@" <<'PY'
import sys
from png import read_png
w, h, rows = read_png(sys.argv[1])
out = []
for hexc in sys.argv[2:]:
    c = tuple(int(hexc[i:i + 2], 16) for i in (0, 2, 4))
    out += [sum(1 for r in rows if r.count(c) >= 5), len({x for r in rows for x, px in enumerate(r) if px == c}),
            sum(r.count(c) for r in rows)]
print(*out)
PY
}
