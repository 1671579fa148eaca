#!/usr/bin/env bash
# The cron refresh runs the registry monitor (pipelines/refresh --pipeline cohorts) with the
# report's machinery: a publication, a no-op on unchanged extracts, a later extract of the
# same history published with every figure the last one knew unchanged and more known, the
# lock (exit 75), a broken delivery that keeps current, and one pipeline per REPORTS folder.
. "$KETEN_ROOT/tests/lib/tap.sh"
refresh=$KETEN_ROOT/pipelines/refresh
extract() {   # extract DIR PEILDATUM: R1-R3 and the key of one history, extracted then
	synth --span 2006-01:2007-06 --persons 20000 --seed 5 --peildatum "$2" --out "$1" > /dev/null &&
		rm -f "$1/truth-cohorts.csv" "$1/dirty.csv"
}
extract inbox 16-08-2007
expect_exit 0 "the first refresh of the monitor publishes" "$refresh" --pipeline cohorts inbox reports
first=$(readlink reports/current)
same_line "current is a monitor's report" "#schema cohort_table/1" "$(gzip -dc reports/current/tables.rec.gz | head -n 1)"
has_text "the log names the pipeline" reports/refresh.log "running cohorts into runs/$(basename "$first")"
expect_exit 0 "a refresh on unchanged extracts" "$refresh" --pipeline cohorts inbox reports
same_line "does nothing" "$first" "$(readlink reports/current)"

# the next month's delivery of the same history
sleep 1
rm -rf inbox && extract inbox 16-09-2007
expect_exit 0 "the next extract is published" "$refresh" --pipeline cohorts inbox reports
second=$(readlink reports/current)
ok_if "current moved" test "$first" != "$second"
python3 - "reports/$first/tables.csv" "reports/$second/tables.csv" <<'PY'
import csv, sys
def known(p):
    return {tuple(r[k] for k in ("cohort_kind", "cohort", "benefit", "population", "row", "measure")):
            (r["estimate"], r["ci_low"], r["ci_high"], r["n"], r["known_from"])
            for r in csv.DictReader(l for l in open(p) if not l.startswith("#")) if r["status"] == "known"}
a, b = known(sys.argv[1]), known(sys.argv[2])
changed = [k for k in a if b.get(k) != a[k]]
print(("ok - " if a and not changed else "not ok - ") +
      "every figure the first publication knew (%d) is in the second, unchanged%s" % (len(a), "" if not changed else ": %s" % changed[:3]))
print(("ok - " if len(b) > len(a) else "not ok - ") + "the second knows %d more" % (len(b) - len(a)))
PY

# the lock is the report's: while one refresh runs, another does nothing
exec 8> reports/.lock; flock 8
expect_exit 75 "a refresh while another holds the lock exits 75" "$refresh" --pipeline cohorts inbox reports
exec 8>&-

# a broken delivery: nothing published, one line
head -c 20000 inbox/uitkeringen.csv > cut && mv cut inbox/uitkeringen.csv
sleep 1
expect_exit 1 "a cut R3 fails the refresh" "$refresh" --pipeline cohorts inbox reports
has_text "one line naming the monitor, the check and the file" err '^refresh: cohorts: input check failed: ingest: inbox/uitkeringen.csv:[0-9]+: truncated delivery'
same_line "current is kept" "$second" "$(readlink reports/current)"

# one pipeline per REPORTS folder
expect_exit 2 "the report pipeline refuses the monitor's folder" "$refresh" inbox reports
has_text "saying why" err "^refresh: reports holds cohorts reports: --pipeline eerste-jaar publishes into a REPORTS folder of its own$"
expect_exit 2 "an unknown pipeline is a usage error" "$refresh" --pipeline survey inbox reports
done_testing
