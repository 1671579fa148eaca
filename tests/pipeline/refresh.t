#!/usr/bin/env bash
# pipelines/refresh, the cron job: a run, a no-op on unchanged extracts, a refresh on new
# ones, a failed refresh that keeps the current report, the lock, and --keep.
# (tests/pipeline/faults.t: every way a delivery or a run can go wrong.)
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
refresh=$KETEN_ROOT/pipelines/refresh
E2E_PERSONS=6000 E2E_SAMPLE=1000 make_world inbox
E2E_PERSONS=6000 E2E_SAMPLE=1000 E2E_SEED=8 make_world newer

expect_exit 0 "the first refresh builds a report" "$refresh" --keep 2 inbox reports
ok_if "current points at a run" test -s reports/current/tables.csv
first=$(readlink reports/current)
has_text "the log has timestamped lines" reports/refresh.log '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z refresh: ok: current -> runs/'

expect_exit 0 "a refresh on unchanged extracts" "$refresh" --keep 2 inbox reports
same_line "does nothing" "$first" "$(readlink reports/current)"
has_text "and says so" reports/refresh.log 'extracts and key unchanged'
same_line "only one run exists" 1 "$(ls reports/runs | wc -l)"

# New extracts (another world, with its own key) arrive. (A small world's models are
# unstable from one seed to the next - separation, empty effects - so the cells gate is
# accepted here; faults.t tests the gates on deliveries that differ only where they should.)
cp newer/*.csv inbox/ && cp -p newer/pseudonym.key inbox/
sleep 1
expect_exit 0 "new extracts give a new report" "$refresh" --keep 2 --accept cells inbox reports
second=$(readlink reports/current)
ok_if "current moved to the new run" test "$first" != "$second"

# A broken extract: the run fails, current stays, the reason is one line on stderr.
head -c 5000 newer/golf3.csv > inbox/golf3.csv
printf '999999999;x\n' >> inbox/cwi_aanvragen.csv
sleep 1
expect_exit 1 "a broken extract fails the refresh" "$refresh" --keep 2 inbox reports -- --max-reject-rate 0
same_line "with a one-line reason" 1 "$(wc -l < err)"
has_text "that names the file cut short and its line" err '^refresh: eerste-jaar: input check failed: ingest: inbox/golf3.csv:[0-9]+: truncated delivery'
same_line "current still points at the last good report" "$second" "$(readlink reports/current)"
ok_if "its logs are kept for a look" test -n "$(ls reports/failed)"

# The lock: while one refresh runs, a second does nothing and says so.
exec 8> reports/.lock; flock 8
expect_exit 75 "a refresh while another holds the lock exits 75 (try again later)" "$refresh" inbox reports
has_text "saying another refresh is running" err 'another refresh is running'
exec 8>&-

# --keep: after a third good run only the newest two stay.
cp newer/golf3.csv inbox/golf3.csv && cp newer/cwi_aanvragen.csv inbox/cwi_aanvragen.csv
printf '\n' >> inbox/golf1.csv
sleep 1
expect_exit 0 "a third good run" "$refresh" --keep 2 --accept cells inbox reports
same_line "--keep 2 keeps the newest two runs" 2 "$(ls reports/runs | wc -l)"
ok_if "the first run was the one removed" test ! -e "reports/$first"
expect_exit 2 "a bad --keep is a usage error" "$refresh" --keep x inbox reports
done_testing
