#!/usr/bin/env bash
# Each method switch: run with and without it on the hand-made people; the switched output
# must equal the hand-worked expectation (expected-default.txt with the changes listed in
# data/changes-*.txt), and exactly the columns the switch governs may differ between the two
# outputs (compared column by column over every record, input columns included).
source "$KETEN_ROOT/tests/lib/tap.sh"
source "$KETEN_ROOT/tests/classify-support/lib.sh"
mkinput
classify-support status.csv > default.csv

# switch NAME CHANGES_FILE "CHANGED COLUMNS" "METHOD TAG" OPTIONS...
switch() {
	local name=$1 changes=$2 cols=$3 tag=$4; shift 4
	expect_exit 0 "$name: runs" classify-support "$@" status.csv
	mv out "$name.csv"
	apply_changes "$D/expected-default.txt" "$D/$changes" > want.txt
	table "$name.csv" > got.txt
	same_text "$name: every value as worked out by hand ($changes)" want.txt got.txt
	coldiff default.csv "$name.csv" | tr '\n' ' ' | sed 's/ $//' > got.txt
	echo "$cols" > want.txt; echo >> got.txt
	same_text "$name: exactly these columns change: $cols" want.txt got.txt
	same_line "$name: support_method" "$tag" "$(method "$name.csv")"
}

switch carryover-no changes-carryover-no.txt \
	"support_method year_h2_programme" \
	"contacts=report;threshold=0;dont_know=no;carryover=no;on_time=28" \
	--carryover no

switch on-time-7 changes-on-time-7.txt \
	"support_method handover_on_time" \
	"contacts=report;threshold=0;dont_know=no;carryover=yes;on_time=7" \
	--on-time-days 7

switch threshold-2 changes-threshold-2.txt \
	"support_method h1_contacts h1_any_support year_contacts year_any_support" \
	"contacts=report;threshold=2;dont_know=no;carryover=yes;on_time=28" \
	--contacts-threshold 2

switch contacts-exclude changes-contacts-exclude.txt \
	"support_method h2_contacts h2_any_support year_contacts year_any_support" \
	"contacts=exclude;threshold=0;dont_know=no;carryover=yes;on_time=28" \
	--contacts exclude

switch dont-know-missing changes-dont-know-missing.txt \
	"support_method h1_advice h1_training h1_problem_help h1_any_support h2_advice h2_problem_help h2_contacts h2_any_support year_advice year_training year_problem_help year_contacts year_any_support" \
	"contacts=report;threshold=0;dont_know=missing;carryover=yes;on_time=28" \
	--dont-know missing

switch exclude-and-missing changes-exclude-and-missing.txt \
	"support_method h1_advice h1_training h1_problem_help h1_any_support h2_advice h2_problem_help h2_contacts h2_any_support year_advice year_training year_problem_help year_contacts year_any_support" \
	"contacts=exclude;threshold=0;dont_know=missing;carryover=yes;on_time=28" \
	--contacts exclude --dont-know missing

# Naming the defaults explicitly changes nothing at all.
classify-support --contacts report --contacts-threshold 0 --dont-know no --carryover yes \
	--on-time-days 28 status.csv > explicit.csv
same_text "the defaults named explicitly: identical output" default.csv explicit.csv
done_testing
