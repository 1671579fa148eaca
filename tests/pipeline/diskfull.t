#!/usr/bin/env bash
# The output disk full: the refresh fails cleanly - exit 1, one line naming the stage and
# "No space left on device", current unchanged, nothing published, no temporary folder -
# and the next refresh, with room again, publishes. On a small tmpfs where one can be
# mounted (root), and always under a file size limit (ulimit -f: the writer is killed by
# SIGXFSZ, and the reason says so).
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
. "$KETEN_ROOT/tests/pipeline/delivery.sh"
make_deliveries

# --- a file size limit ---------------------------------------------------------------------
fresh_inbox
size=$(stat -c %s reports/current/persons.rec.gz)
report_state > state.before
# one ingest (--ingest-jobs 1): the first file over the limit is the kept person stream;
# with ingest in two parts (the default) it is the spool of ingest's second part (plain
# text, larger than the kept gzip stream)
for jobs in 1 2; do
	( ulimit -f $((size / 2048)); "$refresh" inbox reports -- --ingest-jobs $jobs > out 2> err ); rc=$?
	stage=save-persons; [ $jobs = 1 ] || stage=ingest
	same_line "ulimit -f, --ingest-jobs $jobs: the refresh fails" 1 "$rc"
	same_line "ulimit -f, --ingest-jobs $jobs: one line on stderr" 1 "$(wc -l < err)"
	has_text "ulimit -f, --ingest-jobs $jobs: it names the stage ($stage) and the limit" err \
		"^refresh: eerste-jaar: stage $stage failed: killed by SIGXFSZ \\(signal 25\\): a file grew over the file size limit \\(ulimit -f\\)(; its last message: .*)?\$"
	report_state > state.after
	ok_if "ulimit -f, --ingest-jobs $jobs: current and the runs unchanged" cmp -s state.before state.after
	ok_if "ulimit -f, --ingest-jobs $jobs: no temporary folder left" no_leftovers
done

# --- a full tmpfs --------------------------------------------------------------------------
mkdir disk
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=6m,mode=0700 ketenmonitor-test disk 2> mount.err; then
	trap 'umount disk' EXIT
	cp -a reports/. disk/ && rm -rf reports && ln -s disk reports
	free=$(df --output=avail -B1 disk | tail -n 1)
	fallocate -l $((free - 300 * 1024)) disk/filler 2>/dev/null || head -c $((free - 300 * 1024)) /dev/zero > disk/filler
	ok_if "tmpfs: about 300 KB left, less than a report needs" test "$(df --output=avail -B1 disk | tail -n 1)" -lt $((size / 2 + 300 * 1024))
	# where the disk runs full depends on the order of writes: the line names that step
	check_refused "a full disk" "[a-z -]+ failed: .*No space left on device"
	head -c 100M /dev/zero >> disk/filler 2>/dev/null
	ok_if "tmpfs: now not a byte left" test "$(df --output=avail -B1 disk | tail -n 1)" -eq 0
	check_refused "a disk with no room at all" "[a-z -]+ failed: .*No space left on device"
	rm disk/filler
	expect_exit 0 "tmpfs: with room again, the next refresh publishes" "$refresh" inbox reports
	ok_if "tmpfs: the new report is whole" rec-check -q reports/current/persons.rec.gz reports/current/tables.rec.gz
else
	echo "# no tmpfs here ($(cat mount.err 2>/dev/null | head -n 1)): the file size limit above stands for a full disk"
fi
done_testing
