#!/usr/bin/env bash
# Every script checks its options: an option without its value (or with another option in
# its place), a bad number, an unknown option, the wrong number of arguments - each a usage
# error (exit 2) with one line saying what is wrong and the --help hint, before anything
# runs; --help exits 0 and runs nothing. A sharded run without GNU parallel, or over ssh
# without rsync, says so in its one-line reason.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
run=$KETEN_ROOT/pipelines/eerste-jaar/run
refresh=$KETEN_ROOT/pipelines/refresh
sharded=$KETEN_ROOT/pipelines/sharded
E2E_PERSONS=3000 E2E_SAMPLE=500 make_world world

# usage PROG "DESCRIPTION" "EXPECTED FIRST LINE" CMD...: exit 2, that line, the hint, no output.
usage() {
	local prog=$1 d=$2 want=$3; shift 3
	expect_exit 2 "$d: exit 2" "$@"
	same_line "$d: says what is wrong, then the hint" "$want|Try '$prog --help'." "$(tr '\n' '|' < err | sed 's/|$//')"
}

# --- run -----------------------------------------------------------------------------------
for opt in --key-file --models --tables --inputs --gates --lang --max-reject-rate --min-n --utf8 \
	   --protection --secondary --round-base \
	   --previous --accept --keep-failed --classify --shards --sshlogin; do
	usage eerste-jaar "run $opt without its value" "eerste-jaar: $opt needs a value" "$run" world rep $opt
	usage eerste-jaar "run $opt followed by another option" "eerste-jaar: $opt needs a value, not the option --min-n" \
		"$run" $opt --min-n 5 world rep
done
usage eerste-jaar "run --key-file ''" "eerste-jaar: --key-file needs a value, not an empty word" "$run" --key-file '' world rep
usage eerste-jaar "run --min-n x" "eerste-jaar: --min-n: not a whole number: 'x'" "$run" --min-n x world rep
usage eerste-jaar "run --max-reject-rate 1.5" "eerste-jaar: --max-reject-rate: not a share between 0 and 1: '1.5'" "$run" --max-reject-rate 1.5 world rep
usage eerste-jaar "run --protection 0" "eerste-jaar: --protection: not a number >= 1: '0'" "$run" --protection 0 world rep
usage eerste-jaar "run --round-base x" "eerste-jaar: --round-base: not a number >= 1: 'x'" "$run" --round-base x world rep
usage eerste-jaar "run --secondary none" "eerste-jaar: --secondary must be audit or link, not 'none'" "$run" --secondary none world rep
usage eerste-jaar "run --shards 0" "eerste-jaar: --shards: not a number >= 1: '0'" "$run" --shards 0 world rep
usage eerste-jaar "run --lang de" "eerste-jaar: --lang must be nl or en, not 'de'" "$run" --lang de world rep
usage eerste-jaar "run --sshlogin without --shards" "eerste-jaar: --sshlogin goes with --shards" "$run" --sshlogin host world rep
usage eerste-jaar "run --bogus" "eerste-jaar: unknown option --bogus" "$run" --bogus world rep
usage eerste-jaar "run with one argument" "eerste-jaar: expected RAWDIR and OUTDIR" "$run" world
usage eerste-jaar "run with three arguments" "eerste-jaar: expected RAWDIR and OUTDIR" "$run" world rep more
usage eerste-jaar "run --previous that is not a folder" "eerste-jaar: --previous: nosuch: not a folder (or 'none')" "$run" --previous nosuch world rep
usage eerste-jaar "run --accept of no gate" "eerste-jaar: --accept: no gate 'row' (rows, reject-rate, cells, headline-n, peildatum, extracts)" "$run" --accept row world rep
usage eerste-jaar "run --utf8 of no kind" "eerste-jaar: --utf8: not a list of kinds: 'R9' (cwi_aanvragen, uwv_overdracht, uitkeringen, steekproef, golf1, golf2, golf3, R1..R7, or all)" "$run" --utf8 R9 world rep
ok_if "run: no report and no temporary folder after the usage errors" test ! -e rep -a -z "$(find . -maxdepth 1 -name '.*partial*')"
expect_exit 0 "run --help: exit 0" "$run" --help
has_text "run --help lists --accept" out '--accept GATE'
has_text "run --help lists --registry-only" out '--registry-only'

# --- refresh -------------------------------------------------------------------------------
usage refresh "refresh --keep without its value" "refresh: --keep needs a value" "$refresh" world reports --keep
usage refresh "refresh --keep 0" "refresh: --keep needs a number >= 1, not '0'" "$refresh" --keep 0 world reports
usage refresh "refresh --keep x" "refresh: --keep needs a number >= 1, not 'x'" "$refresh" --keep x world reports
usage refresh "refresh --keep-failed --force" "refresh: --keep-failed needs a value, not the option --force" "$refresh" --keep-failed --force world reports
usage refresh "refresh --accept without its value" "refresh: --accept needs a value" "$refresh" --accept
usage refresh "refresh --bogus" "refresh: unknown option --bogus (the run's options go after --)" "$refresh" --bogus world reports
usage refresh "refresh with one argument" "refresh: expected INBOX and REPORTS" "$refresh" world
usage refresh "refresh with run options but no --" "refresh: unknown option --min-n (the run's options go after --)" "$refresh" world reports --min-n 5
ok_if "refresh: nothing made by the usage errors" test ! -e reports
expect_exit 2 "refresh -- --key-file (the run's mistake): exit 2" "$refresh" world reports -- --key-file
same_line "refresh -- --key-file: one line, the run's reason" "refresh: eerste-jaar: --key-file needs a value" "$(cat err)"
expect_exit 0 "refresh --help: exit 0" "$refresh" --help
has_text "refresh --help says what 75 means" out 'exits 75'

# --- sharded, demo -------------------------------------------------------------------------
usage sharded "sharded without arguments" "sharded: expected N [EERSTE-JAAR-OPTIONS] RAWDIR OUTDIR" "$sharded"
usage sharded "sharded x" "sharded: N must be a number >= 1, not 'x'" "$sharded" x world rep
usage sharded "sharded 0" "sharded: N must be a number >= 1, not '0'" "$sharded" 0 world rep
usage sharded "sharded 2 with one folder" "sharded: expected N [EERSTE-JAAR-OPTIONS] RAWDIR OUTDIR" "$sharded" 2 world
usage eerste-jaar "sharded 2 --key-file" "eerste-jaar: --key-file needs a value" "$sharded" 2 world rep --key-file
expect_exit 0 "sharded --help: exit 0" "$sharded" --help
usage demo "demo with an argument" "demo: takes no arguments (DEMO_DIR sets the folder)" "$KETEN_ROOT/pipelines/demo" now
DEMO_DIR=$PWD/demo-dir expect_exit 0 "demo --help: exit 0" "$KETEN_ROOT/pipelines/demo" --help
ok_if "demo --help: runs nothing" test ! -e demo-dir

# --- the tools a sharded run needs -----------------------------------------------------------
# A PATH with every tool of this machine but GNU parallel (and one without rsync).
mkdir tools-noparallel tools-norsync
for d in /usr/local/bin /usr/bin /bin; do
	for t in "$d"/*; do
		n=$(basename "$t")
		[ -e "tools-noparallel/$n" ] || [ "$n" = parallel ] || ln -s "$t" "tools-noparallel/$n"
		[ -e "tools-norsync/$n" ] || [ "$n" = rsync ] || ln -s "$t" "tools-norsync/$n"
	done
done
PATH=$KETEN_BIN:$PWD/tools-noparallel expect_exit 1 "--shards without GNU parallel: exit 1" "$run" --shards 2 world rep
same_line "--shards without GNU parallel: the one-line reason says so" \
	"eerste-jaar: setup failed: --shards needs GNU parallel, which is not installed (apt-get install parallel)" "$(cat err)"
PATH=$KETEN_BIN:$PWD/tools-norsync expect_exit 1 "--sshlogin without rsync: exit 1" "$run" --shards 2 --sshlogin host world rep
same_line "--sshlogin without rsync: the one-line reason says so" \
	"eerste-jaar: setup failed: --sshlogin sends the shards with rsync, which is not installed (apt-get install rsync)" "$(cat err)"
ok_if "no report, no temporary folder" test ! -e rep -a -z "$(find . -maxdepth 1 -name '.rep.partial.*')"
done_testing
