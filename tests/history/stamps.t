#!/usr/bin/env bash
# A run's stamp names it for good, in the history too: when a published run's folder has
# been renamed (as refresh-faults.t does to stamp runs in the future) and a new run starts in
# the same second, the new run must not take the stamp the history already gives the old
# one - trend-page refuses a history where one run has two publication numbers, and the
# refresh failed. The clock is stopped with a `date` in front of PATH: every stamp the
# refresh makes is 20300101T000000Z, so the second refresh starts "in the same second".
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
refresh=$KETEN_ROOT/pipelines/refresh
E2E_PERSONS=3000 E2E_SAMPLE=500 make_world inbox
mkdir clock
cat > clock/date <<'SH'
#!/bin/sh
[ "$*" = "-u +%Y%m%dT%H%M%SZ" ] && { echo 20300101T000000Z; exit 0; }
exec /bin/date "$@"
SH
chmod +x clock/date

PATH=$PWD/clock:$PATH expect_exit 0 "the first refresh publishes" "$refresh" inbox reports
same_line "its stamp is the stopped clock's" "runs/20300101T000000Z" "$(readlink reports/current)"
mv reports/runs/20300101T000000Z reports/runs/29990101T000000Z && ln -sfn runs/29990101T000000Z reports/current
printf '100000010;01-01-1971;V;A;2;03-04-2007;WWB;3;T;11-04-2007;;1234\r\n' >> inbox/cwi_aanvragen.csv
PATH=$PWD/clock:$PATH expect_exit 0 "a new delivery in the same second publishes" "$refresh" inbox reports
same_line "under a stamp of its own (the history holds the first one's)" "runs/20300101T000000Z-1" "$(readlink reports/current)"
same_line "the history: each run once, in publication order" \
	"1 20300101T000000Z|1 29990101T000000Z|2 20300101T000000Z-1" \
	"$(compare-runs --list reports/history.gz | awk '{ print $1, $2 }' | paste -sd'|')"

# A history that passes its check but cannot be listed (compare-runs --list fails: here a
# stand-in that says so) stops the refresh before a run: it cannot know which stamps the
# history already gives, and guessing "none" could hand one on.
mkdir failbin
for p in "$KETEN_BIN"/*; do ln -s "$p" failbin/; done
rm failbin/compare-runs
cat > failbin/compare-runs <<SH
#!/bin/sh
[ "\$1" = --list ] && { echo "compare-runs: cannot list (a stand-in)" >&2; exit 1; }
exec "$KETEN_BIN/compare-runs" "\$@"
SH
chmod +x failbin/compare-runs
printf '100000011;01-01-1971;V;A;2;03-04-2007;WWB;3;T;11-04-2007;;1234\r\n' >> inbox/cwi_aanvragen.csv
before=$(readlink reports/current)
PATH=$PWD/clock:$PATH KETEN_BIN=$PWD/failbin expect_exit 1 "a history that cannot be listed: the refresh stops" "$refresh" inbox reports
same_line "... saying why, with compare-runs' own words" \
	"refresh: cannot read the runs of the history (reports/history.gz): compare-runs: cannot list (a stand-in)" "$(tail -n 1 err)"
same_line "... and publishes nothing" "$before" "$(readlink reports/current)"
done_testing
