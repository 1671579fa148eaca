#!/usr/bin/env bash
# The run passes tabulate's disclosure options on: --round-base B shows every count as the
# nearest multiple of B (halves up) - a count row's estimate is its count - and leaves the
# other estimates and the suppression as they were; the
# known answer is worked out here, in awk, from the same run without the option.
# --secondary link and --protection reach tabulate too: --protection wider than any
# withheld count can be kept fails the run at tabulate (link) with its reason.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"
run=$KETEN_ROOT/pipelines/eerste-jaar/run
E2E_PERSONS=3000 E2E_SAMPLE=500 make_world world

expect_exit 0 "run with the defaults" "$run" world plain
expect_exit 0 "run --round-base 5" "$run" --round-base 5 world rounded
# cells: from the record stream (tables.rec.gz; the plain tables.csv has quoted labels): key columns (table..row, measure) -> suppressed, estimate, n
cells() {
	awk -F, '/^#/ { next } !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
		{ print $c["table"] "|" $c["benefit"] "|" $c["period"] "|" $c["population"] "|" $c["row"] "|" $c["measure"] "|" $c["weighted"],
		        $c["suppressed"], e($c["estimate"]), e($c["n"]) }
		function e(x) { return x == "" ? "-" : x }' "$1" | sort
}
cells <(gzip -dc plain/tables.rec.gz) > plain.cells
cells <(gzip -dc rounded/tables.rec.gz) > rounded.cells
same_line "the same cells" "$(cut -d' ' -f1 plain.cells | md5sum)" "$(cut -d' ' -f1 rounded.cells | md5sum)"
# Rounding changes what the audit knows (a rounded count hides more), so the secondary
# suppression may differ: the cells published in both runs are compared.
join <(awk '$2 == 0' plain.cells) <(awk '$2 == 0' rounded.cells) > both.cells
ok_if "most cells are published in both runs" test "$(wc -l < both.cells)" -gt $(($(wc -l < plain.cells) * 9 / 10))
awk 'function r5(x) { return x == "-" ? x : int((x + 2.5) / 5) * 5 }
	{ split($1, k, "|"); e = k[6] == "count" ? r5($3) : $3
	  if (e != $6 || r5($4) != $7) { print "#   " $0; bad++ } }
	END { exit bad > 0 }' both.cells
ok_if "every n and count is the nearest multiple of 5 (halves up) of the unrounded one, other estimates unchanged" test $? = 0
ok_if "every published n of the rounded run is a multiple of 5" test -z "$(awk '$2 == 0 && $4 != "-" && $4 % 5' rounded.cells)"
ok_if "some n did change (the test is not empty)" test "$(awk '$4 != "-" && $4 % 5' plain.cells | wc -l)" -gt 0
has_text "the report's method note states the rounding" rounded/report.md '5'

expect_exit 1 "run --secondary link --protection 1000000: no protection that wide" \
	"$run" --min-n 10 --protection 1000000 --secondary link world wide
has_text "the reason names tabulate" err 'tabulate'
ok_if "nothing published" test ! -e wide/tables.csv -a ! -e wide/tables.rec.gz
done_testing
