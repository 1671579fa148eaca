#!/usr/bin/env bash
# The Kaplan-Meier module on a synth world against synth's cohort truth: on calendar month
# time a curve read at 3, 6 and 12 months is the known share on benefit exactly, and its
# intervals hold the true shares (against_truth.py). The curves: km_test --readings on the
# month cohorts that km_data.py reads from the raw files.
. "$KETEN_ROOT/tests/lib/tap.sh"
# a helper script that dies (a traceback) must count as a failure, not as fewer checks
py() { python3 "$@" || echo "not ok - python3 ${1##*/} exited with status $?"; }
here=$KETEN_ROOT/tests/cohort-tables
synth --span 2006-01:2007-06 --persons 30000 --seed 31 --peildatum 16-10-2007 --out w >/dev/null
py "$here/km_data.py" w > km.csv
ok_if "km_data.py reads the month cohorts" test "$(wc -l < km.csv)" -gt 20000
"$KETEN_BUILD/tests/cohort-tables/km_test" --readings km.csv > readings.csv
same_line "km_test --readings: 18 months and the median for each of 36 cohort x benefit groups" 685 "$(wc -l < readings.csv)"
py "$here/against_truth.py" w/truth-cohorts.csv readings.csv
done_testing
