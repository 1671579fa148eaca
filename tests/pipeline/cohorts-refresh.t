#!/usr/bin/env bash
# The cron refresh runs the registry monitor (pipelines/refresh --pipeline cohorts) with the
# report's machinery: a publication, a no-op on unchanged extracts, a later extract of the
# same history published with every figure the last one knew unchanged and more known, its
# history (two members, what changed between the extracts, like compared with like), the
# lock (exit 75), a broken delivery that keeps current, and one pipeline per REPORTS folder.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
refresh=$KETEN_ROOT/pipelines/refresh
cohort_extract inbox 16-08-2007
expect_exit 0 "the first refresh of the monitor publishes" "$refresh" --pipeline cohorts inbox reports
first=$(readlink reports/current)
same_line "current is a monitor's report" "#schema cohort_table/1" "$(gzip -dc reports/current/tables.rec.gz | head -n 1)"
has_text "the log names the pipeline" reports/refresh.log "running cohorts into runs/$(basename "$first")"
expect_exit 0 "a refresh on unchanged extracts" "$refresh" --pipeline cohorts inbox reports
same_line "does nothing" "$first" "$(readlink reports/current)"

# the next month's delivery of the same history
sleep 1
rm -rf inbox && cohort_extract inbox 16-09-2007
expect_exit 0 "the next extract is published" "$refresh" --pipeline cohorts inbox reports
second=$(readlink reports/current)
ok_if "current moved" test "$first" != "$second"
python3 - "reports/$first/tables.csv" "reports/$second/tables.csv" <<'PY' || echo "not ok - the two publications: the Python checks stopped before their end"
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

# The monitor's history (issue 21): a cohort_history/1 member per published run. Known
# answers, worked out from the two published tables.csv by the script below, written from
# cohort_table/1's description (not from compare-runs): a figure is published when its
# status is known or estimate. Between the two runs a figure published in both with another
# estimate, interval or n has moved (within, beyond, changed or n_changed) and nothing else
# has; one not yet known (or absent) in the first and published in the second is new (it
# became known: not a change); every other figure published in both is unchanged.
same_line "the history holds two members" 2 "$(compare-runs --list reports/history.gz | wc -l)"
same_line "in publication order, the two runs" "1 $(basename "$first")|2 $(basename "$second")" \
	"$(compare-runs --list reports/history.gz | awk '{ print $1, $2 }' | paste -sd'|')"
same_line "each member a cohort_history/1 section" "#schema cohort_history/1 #schema cohort_history/1" \
	"$(gzip -dc reports/history.gz | grep '^#schema' | paste -sd' ')"
ok_if "the history is whole" history-check reports/history.gz
ok_if "no trend page (the monitor charts its series on its own pages)" test ! -e reports/current/history.html

REC_LEVEL=0 compare-runs reports/history.gz > changes.csv
same_line "compare-runs on it writes cohort_change/1" "#schema cohort_change/1" "$(head -n 1 changes.csv)"
python3 - "reports/$first/tables.csv" "reports/$second/tables.csv" changes.csv <<'PY' || echo "not ok - the history's known answers: the Python checks stopped before their end"
import csv, sys
KEY = ("table", "cohort_kind", "cohort", "benefit", "population", "row", "measure")
def rows(p):
    return list(csv.DictReader(l for l in open(p) if not l.startswith("#")))
def published(p):
    return {tuple(r[k] for k in KEY): (float(r["estimate"]) if r["estimate"] else None,
                                       r["ci_low"] and float(r["ci_low"]), r["ci_high"] and float(r["ci_high"]), r["n"])
            for r in rows(p) if r["status"] in ("known", "estimate")}
a, b = published(sys.argv[1]), published(sys.argv[2])
want_moved = {k for k in a if k in b and a[k] != b[k]}
want_new = {k for k in b if k not in a}
want_same = {k for k in a if k in b and a[k] == b[k]}
got = {}
for r in rows(sys.argv[3]):
    got.setdefault(r["verdict"], set()).add(tuple(r[k] for k in KEY))
moved = set().union(*(got.get(v, set()) for v in ("within", "beyond", "changed", "n_changed")))
def check(ok, what):
    print(("ok - " if ok else "not ok - ") + what)
check(want_new and got.get("new", set()) == want_new,
      "the figures that became known (%d) are new, and only they" % len(want_new))
check(moved == want_moved, "exactly the published figures whose value changed (%d) moved" % len(want_moved))
check(got.get("unchanged", set()) == want_same, "the others published in both (%d) are unchanged" % len(want_same))
check(not (moved & want_new), "no figure that became known counts as moved")
check(all(k[0] == "km" for k in want_moved),
      "what moved is Kaplan-Meier estimates only (known counts and shares are final)")
PY
same_text "the run's own changes.csv says the same" <(tail -n +2 changes.csv) "reports/current/changes.csv"
has_text "and the log has its one line" reports/refresh.log "changed: cwi_aanvragen.csv uitkeringen.csv uwv_overdracht.csv; [0-9]+ rows? of tables.csv moved, [0-9]+ beyond their interval;.* [0-9]+ new$"

# like with like: the report's history and the monitor's are not compared with each other
printf '#schema table/1\ntable,benefit,period,population,row,measure,estimate,ci_low,ci_high,n,suppressed,weighted,symbol,method\nfig1,ww,h1,all,x,share,0.5,0.4,0.6,10,0,1,,t\n' > report.csv
expect_exit 1 "compare-runs refuses a report's tables against the monitor's" compare-runs report.csv "reports/current/tables.rec.gz"
has_text "saying why" err "mix the report's cells \(table/1\) and the registry monitor's"
expect_exit 1 "trend-page refuses the monitor's history" trend-page --headlines "$KETEN_ROOT/pipelines/eerste-jaar/gates.spec" reports/history.gz
expect_exit 0 "--rebuild-history rebuilds the monitor's history from its runs" "$refresh" --pipeline cohorts --rebuild-history inbox reports
same_line "with both runs again" 2 "$(compare-runs --list reports/history.gz | wc -l)"
has_text "the run's summary names the page stage and its language" reports/current/summary.txt "^cohorts: .*; cohort-page --lang nl$"

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
