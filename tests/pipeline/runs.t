#!/usr/bin/env bash
# The pipeline as a job: same extracts give byte-identical reports; a failing stage or a
# truncated extract fails the run with its reason and leaves the previous report in place;
# the sharded run (N = 1, 2, 3) gives byte-identical tables and persons.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
E2E_PERSONS=12000 E2E_SAMPLE=2000 make_world world

expect_exit 0 "first run" run_pipeline world r1
sleep 1   # a second later: gzip(1) would write the time of day into its header
expect_exit 0 "second run on the same extracts" run_pipeline world r2
for f in tables.csv report.md report.html persons.rec.gz rejects.rec.gz unlinked.rec.gz; do
	ok_if "$f is byte-identical across runs" cmp -s r1/$f r2/$f
done
ok_if "persons.rec.gz decompresses to identical bytes" cmp -s <(gzip -dc r1/persons.rec.gz) <(gzip -dc r2/persons.rec.gz)
ok_if "persons.csv.gz too" cmp -s <(gzip -dc r1/persons.csv.gz) <(gzip -dc r2/persons.csv.gz)
ok_if "rejects and unlinked identical too" cmp -s <(gzip -dc r1/unlinked.rec.gz; gzip -dc r1/rejects.rec.gz) <(gzip -dc r2/unlinked.rec.gz; gzip -dc r2/rejects.rec.gz)

# A stage that dies: the run fails, names the stage, and r1 stays as it was.
cp -r r1 r1.before
expect_exit 1 "a killed stage fails the run" run_pipeline --classify "kill -KILL \$\$" world r1
has_text "the message names the stage" err '^eerste-jaar: stage classify-support failed'
ok_if "the previous report is untouched" diff -r r1.before r1
ok_if "no temporary folder is left behind" test -z "$(ls -A . | grep partial)"

# A stage whose output is cut short: the next stage notices, the run fails.
expect_exit 1 "a stream cut short fails the run" run_pipeline --classify "classify-support | head -c 300000" world r1
has_text "fit-models reports the truncated stream" err 'fit-models.*(truncated|wrong number of fields|malformed)'
ok_if "the previous report is still untouched" diff -r r1.before r1

# A truncated extract (cut inside a line): refused before ingest reads a row.
mkdir cut && cp -p world/* cut/
head -c $(( $(wc -c < world/golf3.csv) / 2 )) world/golf3.csv > cut/golf3.csv
expect_exit 1 "a truncated extract fails the run" run_pipeline cut r1
has_text "the message says why, naming file and line" err '^eerste-jaar: input check failed: ingest: cut/golf3.csv:[0-9]+: truncated delivery: the last line has no line end'
ok_if "the previous report is still untouched after a bad extract" diff -r r1.before r1

# Sharded runs: byte-identical to the single run for N = 1, 2, 3.
if command -v parallel >/dev/null; then
	for n in 1 2 3; do
		expect_exit 0 "the sharded run with N = $n" "$KETEN_ROOT/pipelines/sharded" $n world s$n
		ok_if "N = $n: tables.csv identical to the single run" cmp -s r2/tables.csv s$n/tables.csv
		ok_if "N = $n: persons identical to the single run" cmp -s <(gzip -dc r2/persons.rec.gz) <(gzip -dc s$n/persons.rec.gz)
		ok_if "N = $n: the same unlinked rows (in shard order)" cmp -s <(gzip -dc r2/unlinked.rec.gz | grep -v -e "^#schema" -e "^section," | sort) <(gzip -dc s$n/unlinked.rec.gz | grep -v -e "^#schema" -e "^section," | sort)
	done
else
	echo "not ok - GNU parallel is not installed (tools/need-packages test installs it)"
fi
done_testing
