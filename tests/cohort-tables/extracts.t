#!/usr/bin/env bash
# The extract date moved forward month by month (one synth history, 19 extracts from
# 16-01-2008 to 16-07-2009): at each step the cohort stage's figures that become known are
# exactly those whose time has come, every figure has the status and number of that
# extract's truth, and nothing once known changes (extracts_stage.py) - the applicants count
# with --decision-lag 56 (synth's longest decision delay) too, while without it the latest
# months' counts grow as late decisions arrive.
. "$KETEN_ROOT/tests/lib/tap.sh"
# a helper script that dies (a traceback) must count as a failure, not as fewer checks
py() { python3 "$@" || echo "not ok - python3 ${1##*/} exited with status $?"; }
here=$KETEN_ROOT/tests/cohort-tables
export REC_LEVEL=0
lagged= plain=
for m in 2008-01 2008-02 2008-03 2008-04 2008-05 2008-06 2008-07 2008-08 2008-09 2008-10 2008-11 2008-12 \
	2009-01 2009-02 2009-03 2009-04 2009-05 2009-06 2009-07; do
	synth --span 2006-01:2007-12 --persons 20000 --seed 8 --peildatum "$m-16" --out "x$m" >/dev/null
	ingest --key-file "x$m/pseudonym.key" "x$m"/{cwi_aanvragen,uwv_overdracht,uitkeringen}.csv 2>/dev/null |
		link-waves --cohorts month 2>/dev/null | derive-status | classify-support > support.csv
	for lag in off 56; do
		mkdir -p "$lag$m"
		ln -sf "$PWD/x$m/truth-cohorts.csv" "$lag$m/truth-cohorts.csv"
		echo "$m-16" > "$lag$m/peildatum"
	done
	cohort-tables --min-n 0 --kind month,quarter,year < support.csv > "off$m/tables.csv" 2>/dev/null
	cohort-tables --min-n 0 --kind month,quarter,year --decision-lag 56 < support.csv > "56$m/tables.csv" 2>/dev/null
	plain="$plain off$m" lagged="$lagged 56$m"
	rm -rf "x$m"/*.csv.gz support.csv
done
py "$here/extracts_stage.py" off $plain
py "$here/extracts_stage.py" 56 $lagged | sed 's/^\(n*o*t* *ok - \)/\1--decision-lag 56: /'
done_testing
