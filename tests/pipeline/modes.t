#!/usr/bin/env bash
# Personal data kept private (issue 15): whatever the caller's umask, every file a run or a
# refresh writes is 0600 in 0700 folders - the person rows (persons, rejects,
# unlinked: streams and plain files), the logs, the failed runs kept for a look, the refresh log; with
# --group-readable the tables and reports (only those) are opened to the group. A key file
# readable by others is refused with a one-line reason.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
umask 022   # a careless caller: the scripts must not depend on it
E2E_PERSONS=6000 E2E_SAMPLE=1000 make_world world
E2E_PERSONS=6000 E2E_SAMPLE=1000 make_world dirty --dirty 0.01
run=$KETEN_ROOT/pipelines/eerste-jaar/run
refresh=$KETEN_ROOT/pipelines/refresh

# modes DIR: "MODE PATH" of everything below DIR (itself included), sorted.
modes() { find "$1" -printf '%m %p\n' | sort -k2; }
not_private() { modes "$1" | awk '($1 != "600" && $1 != "700") { print }'; }

expect_exit 0 "a run on a world with rejects" "$run" dirty report
ok_if "(it has rejects to keep private)" test "$(gzip -dc report/rejects.rec.gz | wc -l)" -gt 10
for f in persons.rec.gz persons.csv.gz rejects.rec.gz rejects.csv.gz unlinked.rec.gz unlinked.csv.gz; do
	same_line "run: $f is 0600" 600 "$(stat -c %a "report/$f")"
done
same_line "run: everything else is 0600 too, every folder 0700" "" "$(not_private report)"
ok_if "run: the logs are there (and private)" test -s report/logs/ingest.log

expect_exit 0 "a sharded run" "$KETEN_ROOT/pipelines/sharded" 2 dirty sharded
same_line "sharded: every file 0600, every folder 0700" "" "$(not_private sharded)"

expect_exit 0 "a run with --group-readable" "$run" --group-readable dirty open
same_line "--group-readable: the folder 0750" 750 "$(stat -c %a open)"
for f in tables.csv tables.rec.gz model_fit.csv model_coef.csv codebook.md codebook.html report.md report.html summary.txt inputs.csv gates.csv extracts.sha256 key.fingerprint; do
	same_line "--group-readable: $f 0640" 640 "$(stat -c %a "open/$f")"
done
for f in persons.rec.gz persons.csv.gz rejects.rec.gz rejects.csv.gz unlinked.rec.gz unlinked.csv.gz; do
	same_line "--group-readable: $f still 0600" 600 "$(stat -c %a "open/$f")"
done
same_line "--group-readable: the logs still private" "" "$(not_private open/logs)"

# refresh: the reports, a failed run kept for a look, the log.
expect_exit 0 "a refresh" "$refresh" dirty reports
same_line "refresh: every file 0600, every folder 0700 (but the current symlink)" "" \
	"$(find reports ! -type l -printf '%m %p\n' | awk '($1 != "600" && $1 != "700") { print }')"
cp -rp dirty inbox && : > inbox/golf3.csv
expect_exit 1 "a refresh that fails" "$refresh" inbox reports
ok_if "(its output was kept)" test -n "$(ls reports/failed)"
same_line "refresh: the failed run's output 0600 / 0700 too" "" "$(not_private reports/failed)"
same_line "refresh: the log 0600" 600 "$(stat -c %a reports/refresh.log)"
chmod 644 reports/refresh.log
expect_exit 1 "a refresh after the log was opened to others" "$refresh" inbox reports
same_line "refresh: ... closes it again" 600 "$(stat -c %a reports/refresh.log)"

# The key: 0644 refused before anything runs, with one line naming the file and its mode.
cp -rp world loose && chmod 644 loose/pseudonym.key
expect_exit 1 "run with a 0644 key: refused" "$run" loose r-loose
same_line "run with a 0644 key: one line, the reason" \
	"eerste-jaar: key failed: ingest: loose/pseudonym.key: key file mode 0644 is open to group or others: refused (chmod 600 it)" "$(cat err)"
ok_if "run with a 0644 key: nothing written" test ! -e r-loose
expect_exit 1 "refresh with a 0644 key: refused" "$refresh" loose reports-loose
same_line "refresh with a 0644 key: one line, the reason" \
	"refresh: eerste-jaar: key failed: ingest: loose/pseudonym.key: key file mode 0644 is open to group or others: refused (chmod 600 it)" "$(cat err)"
ok_if "refresh with a 0644 key: nothing published" test ! -e reports-loose/current
done_testing
