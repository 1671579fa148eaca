#!/usr/bin/env bash
# Command line: help, version, every usage error with its exact message and exit 2, an I/O
# error with exit 1; the parameter table: printed, overridden, and a world without handover
# failures.
. "$KETEN_ROOT/tests/lib/tap.sh"
expect_exit 0 "--version" synth --version
same_line "--version text" "synth ketenmonitor 0.1" "$(cat out)"
expect_exit 0 "--help" synth --help
for o in --persons --sample --seed --dirty --peildatum --params --param --print-params --calibrate --out; do
	has_text "--help documents $o" out "^ +$o"
done
usage_case() {   # exit code, expected first stderr line, args...
	local want=$2; shift 2
	expect_exit 2 "usage: $*" synth "$@"
	same_line "message for $*" "$want" "$(head -1 err)"
}
usage_case 2 "synth: --out DIR is required" --persons 100
usage_case 2 "synth: --persons: not a positive number: abc" --persons abc --out x
usage_case 2 "synth: --dirty: not a rate between 0 and 0.5: 2" --dirty 2 --out x
usage_case 2 "synth: --peildatum: not a date (dd-mm-yyyy): 31-02-2007" --peildatum 31-02-2007 --out x
usage_case 2 "synth: --param: unknown parameter or bad value: no.such=1" --param no.such=1 --out x
usage_case 2 "synth: --param: unknown parameter or bad value: frame.wwb=abc" --param frame.wwb=abc --out x
usage_case 2 "synth: --sample 5000 is larger than the population (961 persons)" --persons 1000 --sample 5000 --out x
expect_exit 1 "an output folder that cannot be made: exit 1" synth --persons 100 --out /proc/no/such
has_text "its message names the folder" err "^synth: /proc/no/such: cannot create"
printf 'frame.wwb=0.4\nno.such.param=1\n' > bad.params
expect_exit 2 "--params with an unknown name: exit 2" synth --params bad.params --out x
same_line "its message names the file and line" "synth: bad.params:2: unknown parameter or bad value: no.such.param=1" "$(head -1 err)"
# the parameter table
synth --print-params > params.txt
has_text "--print-params lists NAME=VALUE with meanings" params.txt '^ww\.h1\.support\.\(Intercept\)=[-0-9.]+ +# '
synth --persons 3000 --seed 2 --out w >/dev/null
awk -F, '$1 == "model_truth" && $4 ~ /^fig[25]_/ { print $2 "." $3 ".support." $5 "=" $8 }' w/truth.csv | sort > from_truth
grep -E '^(ww|wwb)\.h[12]\.support\.' params.txt | sed 's/ .*//' | sort > from_table
same_text "truth.csv's fig2/fig5 coefficients are the parameter table's" from_table from_truth
synth --persons 3000 --seed 2 --param 'ww.h1.support.sex:male=0.25' --out v >/dev/null
same_line "--param changes the generating coefficient in truth.csv" "0.25" \
	"$(awk -F, '$4 == "fig2_h1_ww" && $5 == "sex:male" { print $8 }' v/truth.csv)"
# a world where handover never fails
synth --persons 20000 --seed 2 --params "$KETEN_ROOT/tests/synth/data/perfect-handover.params" --out p >/dev/null
same_line "perfect handover: truth says everybody is known at both" 1 \
	"$(awk -F, '$1 == "handover" && $5 == "both" { print $8 }' p/truth.csv)"
python3 - p <<'PY' || echo "not ok - perfect handover: the Python check stopped before its end"
import sys
d = sys.argv[1]
def rows(n):
    ls = open(d + "/" + n, encoding="cp1252", newline="").read().split("\r\n")[1:-1]
    return [l.split(";") for l in ls]
W0, W1 = "2006-03-01", "2006-04-30"
iso = lambda s: s[6:] + "-" + s[3:5] + "-" + s[:2]
uwv = {r[0].zfill(9) for r in rows("uwv_overdracht.csv")}
idx = {}
for r in rows("cwi_aanvragen.csv"):   # the index application: earliest granted in the window, first row on ties
    if r[8] == "T" and W0 <= iso(r[5]) <= W1 and (r[0] not in idx or iso(r[5]) < iso(idx[r[0]][5])):
        idx[r[0]] = r
idx = [r for r in idx.values() if r[6] == "WW"]
missing = [r[0] for r in idx if r[10] == "" or r[0] not in uwv]
print(("ok" if not missing else "not ok") + " - perfect handover: every WW index application has an overdracht_datum and a UWV row" + (": %d missing" % len(missing) if missing else ""))
PY
done_testing
