#!/usr/bin/env bash
# sparse.t - the sparse split (rec_reader_split_sparsely: derive-status, classify-support
# and tabulate split only the fields they read) and the wide count of a lazy split
# (fit-models and rec-cat --pass count the commas past the fields they read 32 bytes at a
# time, count_rest) change no byte of any stage's output. The
# known answer: the same stage with every record split whole (REC_SPLIT=whole), on a world
# with dirty rows (quoted fields, refused values, other bytes than ASCII), whose stages
# read fields for the first time deep into the stream (the sample's survey answers, a
# table's population met late). The reader's own cases: rec_test's test_sparse_split.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
export REC_LEVEL=0

E2E_PERSONS=20000 E2E_SAMPLE=3000 make_world w --dirty 0.02
raw=()
for f in w/*.csv; do case ${f##*/} in truth*|dirty.csv) ;; *) raw+=("$f") ;; esac; done
ingest --key-file w/pseudonym.key --rejects /dev/null "${raw[@]}" 2> /dev/null | link-waves --unlinked /dev/null > person.csv
same_line "link-waves wrote person rows" 1 "$(grep -c '^#schema person/1' person.csv)"

# both_ways NAME IN CMD...: CMD with IN on stdin, split sparsely (the default) and whole:
# its stdout and messages (NAME.sparse, NAME.whole and .log) the same
both_ways() {
	local name=$1 in=$2; shift 2
	MODE=sparse "$@" < "$in" > "$name.sparse" 2> "$name.sparse.log"
	MODE=whole REC_SPLIT=whole "$@" < "$in" > "$name.whole" 2> "$name.whole.log"
	same_text "$1: the same stream, split sparsely or whole" "$name.whole" "$name.sparse"
	same_text "$1: the same messages" "$name.whole.log" "$name.sparse.log"
}
# tabulate's files, named by the run (MODE)
tables() {
	tabulate --weights both --csv "tables.$MODE" --plain "plain.$MODE" --md "md.$MODE" \
		"$KETEN_ROOT/pipelines/eerste-jaar/tables.spec" -
}
both_ways status person.csv derive-status
# a stage of the user's may end its lines with CRLF (Python's csv module does): the same
sed 's/$/\r/' person.csv > person-crlf.csv
both_ways status-crlf person-crlf.csv derive-status
same_text "derive-status: CRLF input gives the stream LF input gives" status.whole status-crlf.sparse
both_ways support status.whole classify-support
both_ways fit support.whole fit-models "$KETEN_ROOT/pipelines/eerste-jaar/models.spec"
cp fit.whole fitted.csv
# rec-cat --pass: the stream it passes on and the plain file it makes
pass() { rec-cat --pass --to "person_support/1=persons.$MODE"; }
both_ways pass fitted.csv pass
same_text "rec-cat --pass: the same plain person file, split lazily with the wide count or not" persons.whole persons.sparse
both_ways tabulate fitted.csv tables
same_text "tabulate: the same table/1 stream, split sparsely or whole" tables.whole tables.sparse
same_text "tabulate: the same plain tables" plain.whole plain.sparse
same_text "tabulate: the same page" md.whole md.sparse
ok_if "tabulate made the report's tables (coverage among them)" grep -q '^coverage,ww,year,' plain.sparse
done_testing
