#!/usr/bin/env bash
# The Kaplan-Meier module against a live R (survival::survfit) on a synth world made now, not
# the committed one: make-expected.R --synth computes survfit's numbers from km_data.py's file
# (month time from the dates in R), km_test --synth compares to 1e-10. Skipped (77) without
# Rscript or r-cran-survival: the committed cases of km_test already cover the suite.
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
done_testing
