#!/usr/bin/env bash
# compare-runs, history-stamp, history-check and trend-page under valgrind --leak-check=full:
# no invalid access, no definite or indirect leak, on the success paths and the failure
# paths (a cut stream, a repeated cell, a damaged history, a repair).
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/lib/valgrind.sh"
. "$KETEN_ROOT/tests/history/mkhistory.sh"
c=$KETEN_ROOT/tests/compare-runs/data
h=$KETEN_ROOT/tests/history/data
make_history history.gz

vgx 0 "history-stamp" history-stamp --run A --publication 1 --published t --code-version v --extracts-sha256 x "$h/run1.csv"
vgx 0 "compare-runs on two tables, with --summary" compare-runs --summary s.txt "$c/old.csv" "$c/new.csv"
vgx 0 "compare-runs on a history" compare-runs history.gz
vgx 0 "compare-runs --list" compare-runs --list history.gz
{ cat "$c/new.csv"; tail -n 1 "$c/new.csv"; } > repeated.csv
vgx 1 "compare-runs on a repeated cell" compare-runs "$c/old.csv" repeated.csv
head -c 300 history.gz > cut.gz
vgx 1 "compare-runs on a cut history" compare-runs cut.gz
vgx 1 "compare-runs on a run the history does not hold" compare-runs --new X history.gz
vgx 0 "trend-page" trend-page --headlines "$h/headlines.spec" --tables "$KETEN_ROOT/pipelines/eerste-jaar/tables.spec" history.gz
vgx 1 "trend-page on a cut history" trend-page --headlines "$h/headlines.spec" cut.gz
vgx 0 "history-check" history-check history.gz
vgx 1 "history-check on a cut member" history-check cut.gz
vgx 0 "history-check --repair" history-check --repair cut.gz
{ head -c 100 history.gz; cat history.gz; } > damaged.gz
vgx 1 "history-check on damage in the middle" history-check --repair damaged.gz
done_testing
