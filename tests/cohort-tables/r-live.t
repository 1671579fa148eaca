#!/usr/bin/env bash
# The Kaplan-Meier module and the cohort stage against a live R (survival::survfit) on a synth
# world made now, not the committed one: make-expected.R --synth computes survfit's numbers
# from km_data.py's file (month time from the dates in R), km_test --synth compares the
# module to 1e-10, stage_r.py the stage's rows (ingest | link-waves --cohorts | derive-status
# | classify-support | cohort-tables). Skipped (77) without Rscript or r-cran-survival: the
# committed cases of km_test and stage.t already cover the suite.
. "$KETEN_ROOT/tests/lib/tap.sh"
# a helper script that dies (a traceback) must count as a failure, not as fewer checks
py() { python3 "$@" || echo "not ok - python3 ${1##*/} exited with status $?"; }
here=$KETEN_ROOT/tests/cohort-tables
command -v Rscript >/dev/null 2>&1 || { echo "Rscript is not installed"; exit 77; }
Rscript -e 'suppressPackageStartupMessages(library(survival))' >/dev/null 2>&1 || { echo "R's survival package is not installed"; exit 77; }
synth --span 2006-09:2007-08 --persons 6000 --seed 41 --peildatum 16-01-2008 --out w >/dev/null
py "$here/km_data.py" w 2006-09 2007-01 2007-05 2007-08 > km.csv
Rscript "$here/make-expected.R" --synth km.csv expected.csv
ok_if "survfit's numbers for a fresh world" test -s expected.csv
"$KETEN_BUILD/tests/cohort-tables/km_test" --synth km.csv expected.csv
export REC_LEVEL=0
ingest --key-file w/pseudonym.key w/cwi_aanvragen.csv w/uwv_overdracht.csv w/uitkeringen.csv 2>/dev/null |
	link-waves --cohorts month 2>/dev/null | derive-status | classify-support | cohort-tables --min-n 0 > stage.csv 2>/dev/null
py "$here/stage_r.py" expected.csv stage.csv | sed 's/^\(n*o*t* *ok - \)/\1the stage: /'
done_testing
