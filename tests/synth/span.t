#!/usr/bin/env bash
# synth --span: a world for the registry monitor. Usage errors; the drift parameters in the
# table; without --span every byte as before (checksums of the files that synth wrote before
# --span existed, commit a539c0a); with --span the files it writes, same seed same bytes,
# applications over the span only, --dirty leaves the cohort truth alone, later extracts of
# one seed extend each other, and truth-cohorts.csv recomputed from R1-R3 alone (its true
# shares from a later extract).
. "$KETEN_ROOT/tests/lib/tap.sh"
# a helper script that dies (a traceback) must count as a failure, not as fewer checks
py() { python3 "$@" || echo "not ok - python3 ${1##*/} exited with status $?"; }
here=$KETEN_ROOT/tests/synth

expect_exit 0 "--help" synth --help
for o in --span --drift-ref; do
	has_text "--help documents $o" out "^ +$o"
done
has_text "--help states the cohort rule" out "index application is the first of them"
has_text "--help states the censoring rule" out "k-month mark of the"
usage_case() {   # expected first stderr line, args...
	local want=$1; shift
	expect_exit 2 "usage: $*" synth "$@"
	same_line "message for $*" "$want" "$(head -1 err)"
}
usage_case "synth: --span: not two months yyyy-mm:yyyy-mm in order (1990-2099): 2007-12:2005-01" --span 2007-12:2005-01 --out x
usage_case "synth: --span: not two months yyyy-mm:yyyy-mm in order (1990-2099): 2005-13:2006-01" --span 2005-13:2006-01 --out x
usage_case "synth: --span: not two months yyyy-mm:yyyy-mm in order (1990-2099): 2005-1:2006-01" --span 2005-1:2006-01 --out x
usage_case "synth: --peildatum: not after the span (it ends 31-12-2007)" --span 2005-01:2007-12 --peildatum 31-12-2007 --out x
usage_case "synth: --span: no survey in a monitor world, so no --sample" --span 2005-01:2007-12 --sample 100 --out x
usage_case "synth: --span: --calibrate works on the study's window only" --span 2005-01:2007-12 --calibrate
usage_case "synth: --drift-ref: not a date (dd-mm-yyyy): 2006-02-30" --span 2005-01:2007-12 --drift-ref 2006-02-30 --out x
usage_case "synth: parameters give a negative inflow or duration scale: drift.inflow.per_year must be above -1, drift.inflow.season between -1 and 1, drift.dur.scale.per_year above 0" \
	--span 2005-01:2007-12 --param drift.inflow.season=1.5 --out x

synth --print-params > params.txt
same_line "--print-params lists the five drift.* parameters" 5 "$(grep -c '^drift\.[a-z_.]*=[-0-9.]* *# --span' params.txt)"

# without --span: the files of commit a539c0a's synth, byte for byte
synth --persons 4000 --sample 600 --seed 11 --dirty 0.02 --out a >/dev/null
synth --persons 4000 --seed 12 --peildatum 01-10-2006 --out b >/dev/null
ok_if "without --span every file synth wrote before is byte-identical (22 checksums)" sha256sum --quiet -c "$here/data/unchanged.sha256"
ok_if "without --span truth-cohorts.csv is written beside them" test -s a/truth-cohorts.csv
# an extract date years after the window: second applications up to it, cohorts up to it
synth --persons 3000 --seed 2 --peildatum 01-01-2013 --out late13 >/dev/null
py "$here/recompute_cohorts.py" late13

# a monitor world
synth --span 2005-01:2007-12 --persons 30000 --seed 4 --out s >/dev/null
same_line "--span writes R1-R3, the key, truth-cohorts.csv and dirty.csv only" \
	"cwi_aanvragen.csv dirty.csv pseudonym.key truth-cohorts.csv uitkeringen.csv uwv_overdracht.csv" "$(ls s | tr '\n' ' ' | sed 's/ $//')"
same_line "default peildatum: the 16th of the second month after the span" "16-02-2008" \
	"$(tail -n +2 s/uitkeringen.csv | cut -d';' -f6 | tr -d '\r' | sort -u)"
synth --span 2005-01:2007-12 --persons 30000 --seed 4 --out s2 >/dev/null
synth --span 2005-01:2007-12 --persons 30000 --seed 5 --out s3 >/dev/null
for f in cwi_aanvragen.csv uwv_overdracht.csv uitkeringen.csv pseudonym.key truth-cohorts.csv dirty.csv; do
	ok_if "--span, seed 4 twice: $f byte-identical" cmp -s s/$f s2/$f
done
ok_if "--span, seed 5: R1 differs" bash -c '! cmp -s s/cwi_aanvragen.csv s3/cwi_aanvragen.csv'
# granted applications lie in the span; every date of the extract on or before the peildatum
py - s <<'PY'
import sys
d = sys.argv[1]
def rows(n):
    return [l.split(";") for l in open(d + "/" + n, encoding="cp1252", newline="").read().split("\r\n")[1:-1]]
iso = lambda s: s[6:] + "-" + s[3:5] + "-" + s[:2] if s else ""
r1, r2, r3 = rows("cwi_aanvragen.csv"), rows("uwv_overdracht.csv"), rows("uitkeringen.csv")
granted = [iso(r[5]) for r in r1 if r[8] == "T"]
out = [g for g in granted if not "2005-01-01" <= g <= "2007-12-31"]
print(("ok" if granted and not out else "not ok") + " - %d granted applications, all in the span 2005-01..2007-12" % len(granted))
late = [r for r in r1 if iso(r[5]) > "2008-02-16" or iso(r[9]) > "2008-02-16" or iso(r[10]) > "2008-02-16"] + \
       [r for r in r2 if iso(r[1]) > "2008-02-16"] + [r for r in r3 if iso(r[2]) > "2008-02-16" or iso(r[3]) > "2008-02-16"]
print(("ok" if not late else "not ok") + " - no date in R1-R3 after the peildatum 16-02-2008" + ("" if not late else ": %s" % late[:2]))
months = {}
for g in granted:
    months[g[:7]] = months.get(g[:7], 0) + 1
print(("ok" if len(months) == 36 else "not ok") + " - granted applications in each of the 36 months of the span")
PY
synth --span 2005-01:2007-12 --persons 30000 --seed 4 --dirty 0.01 --out sd >/dev/null
ok_if "--span --dirty 0.01: faults listed in dirty.csv" test "$(wc -l < sd/dirty.csv)" -gt 100
ok_if "--span --dirty 0.01: truth-cohorts.csv unchanged" cmp -s s/truth-cohorts.csv sd/truth-cohorts.csv
# later extracts of the same history; the truth recomputed from the raw files
synth --span 2005-01:2007-12 --persons 30000 --seed 4 --peildatum 16-08-2008 --out s4 >/dev/null
synth --span 2005-01:2007-12 --persons 30000 --seed 4 --peildatum 01-01-2010 --out late >/dev/null
py "$here/extracts.py" s s4 late
py "$here/recompute_cohorts.py" s late
done_testing
