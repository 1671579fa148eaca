#!/usr/bin/env bash
# The cohort stage on synth worlds with drifting parameters (synth --span: the handover and the
# durations drift by year), against synth's cohort truth (stage_truth.py: every figure of
# every month, quarter and year cohort, its status and known_from; the Kaplan-Meier curves
# against the true shares), by both handover rules; the Kaplan-Meier rows against R's survfit
# on the committed world (stage_r.py, data/km-synth-expected.csv); and the drift visible in
# the stage's own series, against the same world without drift.
. "$KETEN_ROOT/tests/lib/tap.sh"
# a helper script that dies (a traceback) must count as a failure, not as fewer checks
py() { python3 "$@" || echo "not ok - python3 ${1##*/} exited with status $?"; }
here=$KETEN_ROOT/tests/cohort-tables
export REC_LEVEL=0
registry() { ingest --key-file "$1/pseudonym.key" "$1/cwi_aanvragen.csv" "$1/uwv_overdracht.csv" "$1/uitkeringen.csv" 2>/dev/null; }

synth --span 2006-01:2007-06 --persons 20000 --seed 31 --peildatum 16-10-2007 --out w >/dev/null
registry w | link-waves --cohorts month 2>/dev/null | derive-status > status.csv
classify-support < status.csv | cohort-tables --min-n 0 --kind month,quarter,year > claim.csv 2>/dev/null
py "$here/stage_truth.py" w/truth-cohorts.csv claim.csv 2007-10-16 share
classify-support --uwv-known person < status.csv | cohort-tables --min-n 0 --kind month,quarter,year > person.csv 2>/dev/null
py "$here/stage_truth.py" w/truth-cohorts.csv person.csv 2007-10-16 share_person_rule | sed 's/^\(n*o*t* *ok - \)/\1--uwv-known person: /'
same_line "the method column names the handover rule" "uwv_known=claim uwv_known=person" \
	"$(awk -F, 'NR == 3 { print $NF }' claim.csv | grep -o 'uwv_known=[a-z]*') $(awk -F, 'NR == 3 { print $NF }' person.csv | grep -o 'uwv_known=[a-z]*')"
# --min-n 100 (this world's cells are large: 10 withholds nothing): the small cells go, and
# nothing withheld carries a number
classify-support < status.csv | cohort-tables --min-n 100 --kind month,quarter,year > sdc.csv 2>/dev/null
same_line "--min-n 100: withheld figures carry no number" 0 \
	"$(awk -F, '$8 == "suppressed" && ($9 != "" || $10 != "" || $11 != "" || $12 != "" || $13 != "")' sdc.csv | wc -l)"
ok_if "--min-n 100 withholds some figures of this world" test "$(grep -c ',suppressed,' sdc.csv)" -gt 20
same_line "every published figure's n is at least 100" 0 \
	"$(awk -F, 'NR > 2 && ($8 == "known" || $8 == "estimate") && $13 != "" && $13 < 100' sdc.csv | wc -l)"
py "$here/stage_truth.py" w/truth-cohorts.csv sdc.csv 2007-10-16 | sed 's/^\(n*o*t* *ok - \)/\1--min-n 100: /'

# R's survfit on the world the committed expected values were made from (make-expected.R)
synth --span 2006-07:2007-06 --persons 2500 --seed 17 --peildatum 01-03-2008 --out r >/dev/null
registry r | link-waves --cohorts month 2>/dev/null | derive-status | classify-support | cohort-tables --min-n 0 > r.csv 2>/dev/null
py "$here/stage_r.py" "$here/data/km-synth-expected.csv" r.csv

# drift: the stage's year cohorts of the same seed with and without it (cf. tests/synth/cohorts.t)
synth --span 2005-01:2007-12 --persons 60000 --seed 9 --peildatum 16-08-2008 --out d >/dev/null
synth --span 2005-01:2007-12 --persons 60000 --seed 9 --peildatum 16-08-2008 --param drift.inflow.per_year=0 \
	--param drift.inflow.season=0 --param drift.ho.uwv_missing.per_year=0 --param drift.ho.cwi_missing.per_year=0 \
	--param drift.dur.scale.per_year=1 --out c >/dev/null
for x in d c; do
	registry $x | link-waves --cohorts month 2>/dev/null | derive-status | classify-support |
		cohort-tables --kind month,year > $x.csv 2>/dev/null
done
py "$here/stage_truth.py" d/truth-cohorts.csv d.csv 2008-08-16 | sed 's/^\(n*o*t* *ok - \)/\1drifting world, --min-n 10: /'
py - d.csv c.csv <<'PY'
import csv, sys
def load(p):
    t = {}
    for r in csv.DictReader(l for l in open(p) if not l.startswith("#")):
        if r["status"] == "known":
            t[(r["cohort_kind"], r["cohort"], r["benefit"], r["row"], r["measure"])] = (float(r["estimate"]), int(r["n"]))
    return t
def ok(c, desc):
    print(("ok - " if c else "not ok - ") + desc)
d, c = load(sys.argv[1]), load(sys.argv[2])
def change(t, key):
    (a, na), (b, nb) = t[("year", "2005") + key], t[("year", "2007") + key]
    return b - a, (a * (1 - a) / na + b * (1 - b) / nb) ** 0.5
for name, key, lo, hi in (("WW handover both", ("ww", "both", "share"), 0.04, 0.14),
                          ("WW on benefit after 6 months", ("ww", "on_benefit_6m", "share"), -0.08, -0.02)):
    (dd, sd), (dc, sc) = change(d, key), change(c, key)
    ok(lo < dd - dc < hi, "the stage's series: %s 2005 -> 2007 %+.3f with drift, %+.3f without; the drift's part %+.3f in (%g, %g)"
       % (name, dd, dc, dd - dc, lo, hi))
# the monthly series shows it too: the mean of the 2007 months' handover share above 2005's
def months(t, y):
    v = [e for (k, coh, b, row, m), (e, n) in t.items() if k == "month" and coh.startswith(y) and (b, row, m) == ("ww", "both", "share")]
    return sum(v) / len(v), len(v)
(m5, n5), (m7, n7) = months(d, "2005"), months(d, "2007")
ok(n5 == 12 and n7 == 12 and m7 - m5 > 0.04, "monthly WW handover 'both': mean %.3f over 2005's 12 months, %.3f over 2007's" % (m5, m7))
PY
done_testing
