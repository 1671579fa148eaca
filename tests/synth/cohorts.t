#!/usr/bin/env bash
# truth-cohorts.csv: recomputed from the raw files on a world of the study's window (where the
# March and April cohorts combined must be the study population of truth.csv); the censoring
# rule at its boundary (the day before known_from and on it); today's pipeline with its
# window set to a cohort's window; the extract date moved forward month by month; and the
# drift of a --span world visible against a world without drift.
. "$KETEN_ROOT/tests/lib/tap.sh"
# a helper script that dies (a traceback) must count as a failure, not as fewer checks
py() { python3 "$@" || echo "not ok - python3 ${1##*/} exited with status $?"; }
here=$KETEN_ROOT/tests/synth

# the study's window: the cohort rule keeps the report's figures
synth --persons 40000 --sample 2000 --seed 21 --out w >/dev/null
py "$here/recompute_cohorts.py" w
py "$here/combine_window.py" w

# the boundary: a figure is not known on its cohort's last k-month mark, and known the day after
synth --span 2006-01:2007-12 --persons 20000 --seed 8 --out m >/dev/null
field() {   # dir cohort row measure column
	awk -F, -v c="$2" -v r="$3" -v m="$4" -v col="$5" '$1 == "month" && $2 == c && $3 == "ww" && $5 == r && $6 == m { print $col }' "$1/truth-cohorts.csv"
}
for fig in "2007-12 on_benefit_3m" "2007-06 on_benefit_12m" "2007-09 on_benefit_6m"; do
	set -- $fig
	from=$(field m "$1" "$2" share 10)
	before=$(date -d "$from - 1 day" +%d-%m-%Y) on=$(date -d "$from" +%d-%m-%Y)
	synth --span 2006-01:2007-12 --persons 20000 --seed 8 --peildatum "$before" --out b >/dev/null
	synth --span 2006-01:2007-12 --persons 20000 --seed 8 --peildatum "$on" --out o >/dev/null
	same_line "$1 $2: not_yet_known with the peildatum on the last member's mark ($before)" "not_yet_known,," \
		"$(field b "$1" "$2" share 7),$(field b "$1" "$2" share 8),$(field b "$1" "$2" share 9)"
	same_line "$1 $2: known with the peildatum the day after ($on), with n" "known,1" \
		"$(field o "$1" "$2" share 7),$(field o "$1" "$2" share 9 | awk '{ print ($1 > 0) }')"
	py "$here/recompute_cohorts.py" b | sed "s/^\(n*o*t* *ok - \)/\1peildatum $before: /"
	py "$here/recompute_cohorts.py" o | sed "s/^\(n*o*t* *ok - \)/\1peildatum $on: /"
	rm -rf b o
done

# today's pipeline with link-waves' window set to a cohort's window finds the cohort's truth:
# the cohort rule is the study's rule per window (the month cohorts' phase-2 stage builds on it)
export REC_LEVEL=0
ingest --key-file m/pseudonym.key m/cwi_aanvragen.csv m/uwv_overdracht.csv m/uitkeringen.csv 2>/dev/null > m.stream
for win in "month 2006-06 2006-06-01 2006-06-30" "month 2007-02 2007-02-01 2007-02-28" "quarter 2007-Q1 2007-01-01 2007-03-31" \
	"month 2007-12 2007-12-01 2007-12-31"; do
	set -- $win
	link-waves --window-start "$3" --window-end "$4" < m.stream 2>/dev/null | derive-status | classify-support > support.csv
	py "$here/pipeline_window.py" m/truth-cohorts.csv "$1" "$2" support.csv
done
rm -f m.stream support.csv
unset REC_LEVEL

# the extract date moved forward month by month: which figures become known at each step
dirs=
for m in 2008-01 2008-02 2008-03 2008-04 2008-05 2008-06 2008-07 2008-08 2008-09 2008-10 2008-11 2008-12 \
	2009-01 2009-02 2009-03 2009-04 2009-05 2009-06 2009-07; do
	synth --span 2006-01:2007-12 --persons 20000 --seed 8 --peildatum "$m-16" --out "x$m" >/dev/null
	dirs="$dirs x$m"
done
py "$here/extracts.py" $dirs
py "$here/recompute_cohorts.py" x2008-07
same_line "by 16-07-2009 every figure of every cohort is known" 0 \
	"$(grep -c not_yet_known x2009-07/truth-cohorts.csv)"
same_line "on 16-01-2008 no 12-month figure of a 2007 cohort is known" 0 \
	"$(grep -c '^month,2007-[0-9]*,[a-z]*,all,on_benefit_12m,share,known' x2008-01/truth-cohorts.csv)"

# drift: the same seed with and without it
synth --span 2005-01:2007-12 --persons 60000 --seed 9 --peildatum 16-08-2008 --out d >/dev/null
synth --span 2005-01:2007-12 --persons 60000 --seed 9 --peildatum 16-08-2008 --param drift.inflow.per_year=0 \
	--param drift.inflow.season=0 --param drift.ho.uwv_missing.per_year=0 --param drift.ho.cwi_missing.per_year=0 \
	--param drift.dur.scale.per_year=1 --out c >/dev/null
py - d c <<'PY'
import csv, sys
def load(d):
    t = {}
    for r in csv.DictReader(open(d + "/truth-cohorts.csv")):
        if r["status"] == "known":
            t[(r["cohort_kind"], r["cohort"], r["benefit"], r["population"], r["row"], r["measure"])] = (float(r["estimate"]), int(r["n"]))
    return t
def ok(c, desc):
    print(("ok - " if c else "not ok - ") + desc)
d, c = load(sys.argv[1]), load(sys.argv[2])
def change(t, key):   # year 2007 minus year 2005, and its standard error
    (a, na), (b, nb) = t[("year", "2005") + key], t[("year", "2007") + key]
    return b - a, (a * (1 - a) / na + b * (1 - b) / nb) ** 0.5
both = ("ww", "on_benefit_6m", "both", "share")
on6 = ("ww", "all", "on_benefit_6m", "share")
for name, key, lo, hi in (("WW handover both", both, 0.04, 0.14), ("WW on benefit at 6 months", on6, -0.08, -0.02)):
    (dd, sd), (dc, sc) = change(d, key), change(c, key)
    ok(lo < dd - dc < hi, "%s: 2005 -> 2007 %+.3f with drift, %+.3f without; the drift's part %+.3f in (%g, %g)" % (name, dd, dc, dd - dc, lo, hi))
    if key == both:   # (the 6-month share has an edge effect without drift: doc/cohorts.md, "Edge of the span")
        ok(abs(dc) < 4 * sc, "%s without drift: no trend beyond 4 standard errors (%+.3f, se %.3f)" % (name, dc, sc))
def applicants(t, months):
    return sum(t[("month", m, b, "all", "applicants", "count")][0] for m in months for b in ("ww", "wwb"))
jan, jul = ["%d-01" % y for y in (2005, 2006, 2007)], ["%d-07" % y for y in (2005, 2006, 2007)]
r_d, r_c = applicants(d, jan) / applicants(d, jul), applicants(c, jan) / applicants(c, jul)
ok(1.2 < r_d < 1.5 and 0.85 < r_c < 1.15, "season: January / July applicants %.2f with drift.inflow.season 0.15, %.2f without" % (r_d, r_c))
y = lambda t, yr: t[("year", yr, "ww", "all", "applicants", "count")][0] + t[("year", yr, "wwb", "all", "applicants", "count")][0]
trend = (y(d, "2007") / y(d, "2005")) / (y(c, "2007") / y(c, "2005"))
ok(0.74 < trend < 0.88, "inflow: 2007 / 2005 applicants %.3f of the driftless world's (0.9^2 = 0.81)" % trend)
PY
done_testing
