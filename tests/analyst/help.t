#!/usr/bin/env bash
# Every program and script answers --help and --version with exit 0 and runs nothing: run
# in an empty folder with no stdin, it writes nothing there (pipelines/demo --help used to
# run the whole demo, issue 19), says what it does on stdout and nothing on stderr.
# --version is "NAME ketenmonitor VERSION", one VERSION for all.
. "$KETEN_ROOT/tests/lib/tap.sh"
R=$KETEN_ROOT
cmds=()
for f in "$R"/filters/*.c; do n=$(basename "$f" .c); cmds+=("$n|$KETEN_BIN/$n"); done
cmds+=("eerste-jaar|$R/pipelines/eerste-jaar/run" "refresh|$R/pipelines/refresh" "sharded|$R/pipelines/sharded" "cohorts|$R/pipelines/cohorts/run"
	"demo|$R/pipelines/demo" "checksums|$R/pipelines/checksums" "headline|$R/pipelines/headline" "classify-support.py|python3 $R/pipelines/swap/classify-support.py")
versions=
for c in "${cmds[@]}"; do
	name=${c%%|*} cmd=${c#*|}
	mkdir empty
	# shellcheck disable=SC2086
	(cd empty && unset DEMO_DIR && $cmd --help < /dev/null > ../help.out 2> ../help.err); rc=$?
	same_line "$name --help: exit 0" 0 "$rc"
	ok_if "$name --help: text on stdout (more than 3 lines), nothing on stderr" test "$(wc -l < help.out)" -gt 3 -a ! -s help.err
	same_line "$name --help: nothing written (no side effect)" "" "$(ls -A empty)"
	# shellcheck disable=SC2086
	(cd empty && $cmd --version < /dev/null > ../version.out 2> ../version.err); rc=$?
	same_line "$name --version: exit 0, nothing written" "0|" "$rc|$(ls -A empty)"
	has_text "$name --version: '$name ketenmonitor VERSION'" version.out "^$name ketenmonitor [0-9][0-9.]*$"
	versions="$versions $(awk '{ print $3 }' version.out)"
	rmdir empty
done
same_line "one version for every program and script" 1 "$(echo $versions | tr ' ' '\n' | sort -u | wc -l)"
done_testing
