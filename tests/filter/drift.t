#!/usr/bin/env bash
# The filter driver (filters/lib/filter.h) makes the stream filters behave alike where they
# used to drift (issue 16): an empty input is an error in every one (exit 1, the same
# message: a stage that died upstream must not become an empty result), and an unknown
# option, a missing value and --version are answered the same way by every program.
# Not here: synth, which reads no stream (its owner ports it).
. "$KETEN_ROOT/tests/lib/tap.sh"
spec=$KETEN_ROOT/pipelines/eerste-jaar/models.spec
tables=$KETEN_ROOT/pipelines/eerste-jaar/tables.spec
: > empty.csv

empty() {  # program and arguments; the input is stdin (empty)
	expect_exit 1 "$1 on an empty stdin: exit 1" "$@" < /dev/null
	same_line "$1 on an empty stdin: the driver's message" \
		"$1: stdin: no section in the input: an empty stream (did an earlier stage fail?)" "$(cat err)"
}
empty link-waves
empty derive-status
empty classify-support
empty fit-models "$spec"
empty rec-check
empty tabulate "$tables"
expect_exit 1 "tabulate with an empty input file: exit 1" tabulate "$tables" empty.csv
same_line "tabulate with an empty input file: the file is named" \
	"tabulate: empty.csv: no section in the input: an empty stream (did an earlier stage fail?)" "$(cat err)"
ok_if "tabulate with an empty input writes nothing" test ! -s out
expect_exit 1 "derive-status on an empty file: exit 1" derive-status empty.csv
same_line "derive-status on an empty file: the file is named" \
	"derive-status: empty.csv: no section in the input: an empty stream (did an earlier stage fail?)" "$(cat err)"
expect_exit 1 "rec-merge with an empty input: exit 1" rec-merge --key person_key empty.csv
same_line "rec-merge with an empty input: the same message" \
	"rec-merge: empty.csv: no section in the input: an empty stream (did an earlier stage fail?)" "$(cat err)"
expect_exit 1 "shard on an empty file: exit 1" shard -n 2 -o sh empty.csv
same_line "shard on an empty file: the same message" \
	"shard: empty.csv: no section in the input: an empty stream (did an earlier stage fail?)" "$(cat err)"
ok_if "shard on an empty file leaves no shard behind" test ! -e sh.0.gz -a ! -e sh.0.gz.partial

# a second input that is empty is as wrong as a first one
expect_exit 1 "rec-check with a good input and an empty one: exit 1" rec-check -q "$KETEN_ROOT/tests/link-waves/data/ho.csv" empty.csv
same_line "... the empty one is named" \
	"rec-check: empty.csv: no section in the input: an empty stream (did an earlier stage fail?)" "$(cat err)"

usage() {  # program, option words..., expected first line
	local prog=$1 want=${*: -1}
	expect_exit 2 "$prog ${*:2:$#-2}: exit 2" "${@:1:$#-1}"
	same_line "$prog ${*:2:$#-2}: one message" "$want" "$(head -1 err)"
	same_line "$prog ${*:2:$#-2}: then the hint, and nothing else" "Try '$prog --help'." "$(tail -n +2 err)"
}
for prog in link-waves derive-status classify-support fit-models rec-check rec-merge shard ingest tabulate; do
	usage $prog --bogus "$prog: unknown option '--bogus'"
	usage $prog -Z "$prog: unknown option '-Z'"
	usage $prog --help=yes "$prog: option '--help' takes no value"
	expect_exit 0 "$prog --version: exit 0" $prog --version
	same_line "$prog --version: one line" "$prog ketenmonitor 0.1" "$(cat out)"
	expect_exit 0 "$prog --help: exit 0" $prog --help
	has_text "$prog --help: an example" out '[Ee]xample'
done
usage derive-status --h1-wave "derive-status: option '--h1-wave' needs a value"
usage classify-support --contacts "classify-support: option '--contacts' needs a value"
usage link-waves --unlinked "link-waves: option '--unlinked' needs a value"
usage fit-models --model "fit-models: option '--model' needs a value"
usage fit-models -i "fit-models: option '-i' needs a value"
usage rec-merge --key "rec-merge: option '--key' needs a value"
usage shard -n "shard: option '-n' needs a value"
usage rec-check --describe "rec-check: option '--describe' needs a value"
usage ingest --key-file "ingest: option '--key-file' needs a value"
usage tabulate --format "tabulate: option '--format' needs a value"
usage tabulate "$tables" --min-n "tabulate: option '--min-n' needs a value"
done_testing
