#!/usr/bin/env bash
# attack.t - disclosure control against a reader who subtracts.
#
# tests/disclosure/attack.py reads only a published tables.csv and the report's definitions
# of its tables, collects every linear relation between the counts (categories that add up,
# none + cwi_only = uwv_unknown, the same people in two tables, populations nested) and
# bounds every suppressed count with glpsol (whole numbers). tests/disclosure/scan.py greps
# tables.csv, report.md and report.html for any count a suppressed cell or a small block
# should have hidden. Neither uses tabulate's code; the answers they are held to are the
# protection level (--protection defaults to --min-n) and the true counts of a run with
# --min-n 0.
#
# Worlds: the demo world (synth --seed 2006, the report's size) at --min-n 10 and 50 as the
# issue asks - nothing is suppressed there (its smallest n is 58), so also at 200 and 500,
# where many cells are - and a small world (20 000 persons, a panel of 400) at 10 and 50.
# Proof that the attack and the scan can fail: tables made by the baseline binaries (commit
# a539c0a) on the small world, kept in data/ (base10, base50; ref is --min-n 0).
source "$KETEN_ROOT/tests/lib/tap.sh"
if ! command -v glpsol > /dev/null; then
	echo "glpsol missing (apt-get install glpk-utils)"
	exit 77
fi
here=$KETEN_ROOT/tests/disclosure
spec=$KETEN_ROOT/pipelines/eerste-jaar/tables.spec
run=$KETEN_ROOT/pipelines/eerste-jaar/run

synth --seed 2006 --out demo > /dev/null
synth --persons 20000 --sample 400 --seed 15 --out small > /dev/null
expect_exit 0 "the demo world goes through the pipeline" "$run" demo demo.out
expect_exit 0 "the small world goes through the pipeline" "$run" small small.out

# tab WORLD MIN_N: the three renderings in WORLD-MIN_N/ (tables.csv as the pipeline publishes
# it: every survey cell weighted and unweighted, run --weights both)
tab() {
	mkdir -p "$1-$2"
	REC_LEVEL=0 tabulate --weights both --min-n "$2" --csv "$1-$2/tables.csv" --md "$1-$2/report.md" --html "$1-$2/report.html" \
		"$spec" "$1.out/persons.rec.gz" 2> "$1-$2/err"
}
suppressed() { awk -F, 'NR > 2 && $11 == 1' "$1/tables.csv" | wc -l; }

for world in demo small; do
	tab $world 0
	for m in 10 50 200 500; do
		[ $world = small ] && [ $m -gt 50 ] && continue
		ok_if "$world --min-n $m: tabulate succeeds" tab $world $m
		nsup=$(suppressed $world-$m)
		if [ $world = demo ] && [ $m -le 50 ]; then
			same_line "$world --min-n $m: nothing to suppress (smallest n 58)" 0 "$nsup"
		else
			ok_if "$world --min-n $m: cells are suppressed ($nsup)" test "$nsup" -gt 0
		fi
		python3 "$here/attack.py" --protection $m $world-$m/tables.csv > $world-$m/attack 2> $world-$m/attack.err ||
			{ echo "not ok - $world --min-n $m: attack.py stopped before its end"; tail -3 $world-$m/attack.err | sed 's/^/#   /'; }
		same_line "$world --min-n $m: the attacker bounds every suppressed count ($(wc -l < $world-$m/attack))" \
			"$(awk -F, 'NR > 2 && $11 == 1 { print $1 "," $2 "," $3 "," $4 "," $5 }' $world-$m/tables.csv | sort -u | wc -l)" \
			"$(wc -l < $world-$m/attack)"
		same_line "$world --min-n $m: no suppressed count recovered or narrower than $m" "" \
			"$(grep -v 'protected$' $world-$m/attack | head -3)"
		python3 "$here/scan.py" $m $world-$m $world-0 > $world-$m/scan ||
			echo "not ok - $world --min-n $m: scan.py stopped before its end"
		same_line "$world --min-n $m: scans find no count a suppression hides" "" "$(grep '^FOUND' $world-$m/scan | head -3)"
	done
done
ok_if "demo --min-n 10 is what the pipeline published" cmp -s demo-10/tables.csv <(gzip -dc demo.out/tables.rec.gz)

# rounded counts (--round-base 5): the attacker takes each shown count as the range it
# leaves, except where an unweighted share and its Wilson interval give n back exactly
mkdir -p small-r5 && REC_LEVEL=0 tabulate --min-n 50 --round-base 5 --csv small-r5/tables.csv "$spec" small.out/persons.rec.gz 2> /dev/null
same_line "--round-base 5: every n shown is a multiple of 5" "" \
	"$(awk -F, 'NR > 2 && $10 != "" && $10 % 5 != 0' small-r5/tables.csv | head -3)"
python3 "$here/attack.py" --protection 50 --round-base 5 small-r5/tables.csv > small-r5/attack ||
	echo "not ok - --round-base 5: attack.py stopped before its end"
ok_if "--round-base 5: the attacker has targets ($(wc -l < small-r5/attack))" test -s small-r5/attack
same_line "--round-base 5: no suppressed count recovered or narrower than 50" "" "$(grep -v 'protected$' small-r5/attack | head -3)"

# the baseline (a539c0a) gave counts away: the n column, and subtraction across tables
for b in base10 base50; do
	mkdir -p $b && for f in "$here/data/$b"/*.gz; do gzip -dc "$f" > $b/$(basename "$f" .gz); done
done
mkdir -p ref && for f in "$here"/data/ref/*.gz; do gzip -dc "$f" > ref/$(basename "$f" .gz); done
python3 "$here/attack.py" --protection 10 base10/tables.csv > base10.attack || echo "not ok - baseline --min-n 10: attack.py stopped before its end"
same_line "baseline --min-n 10: all 3 suppressed counts recovered exactly (5, 16, 7: the n column)" \
	"none 5 5 exact|cwi_only 16 16 exact|uwv_only 7 7 exact" \
	"$(awk -F'\t' '{ print $5, $7, $8, $10 }' base10.attack | paste -sd'|')"
python3 "$here/attack.py" --protection 50 base50/tables.csv > base50.attack || echo "not ok - baseline --min-n 50: attack.py stopped before its end"
ok_if "baseline --min-n 50: counts recovered exactly ($(grep -c 'exact$' base50.attack) of $(wc -l < base50.attack))" \
	test "$(grep -c 'exact$' base50.attack)" -gt 20
# without the n column the old complementary suppression still fell to subtraction:
# uwv_only = fig1's WW H2 n - uwv_unknown - both
awk -F, 'BEGIN { OFS = "," } NR > 2 && $11 == 1 { $10 = "" } { print }' base10/tables.csv > blank10.csv
python3 "$here/attack.py" --protection 10 blank10.csv > blank10.attack || echo "not ok - baseline, n blanked: attack.py stopped before its end"
same_line "baseline with the n column blanked: uwv_only still recovered (7) across tables" \
	"uwv_only 7 7 exact" "$(awk -F'\t' '$10 == "exact" { print $5, $7, $8, $10 }' blank10.attack)"
python3 "$here/scan.py" 10 base10 ref > base10.scan || echo "not ok - baseline --min-n 10: scan.py stopped before its end"
ok_if "baseline --min-n 10: the scans find the shown counts ($(grep -c '^FOUND' base10.scan))" \
	test "$(grep -c '^FOUND' base10.scan)" -ge 10
# the same small world now
same_line "this code on the baseline's world: the same 3 cells and uwv_unknown suppressed (weighted)" \
	"handover_support,none|handover_support,cwi_only|handover_support,uwv_only|handover_support,uwv_unknown" \
	"$(awk -F, 'NR > 2 && $11 == 1 && $12 == 1 { print $1 "," $5 }' small-10/tables.csv | paste -sd'|')"
same_line "and their unweighted twins with them, nothing else" \
	"handover_support,none|handover_support,cwi_only|handover_support,uwv_only|handover_support,uwv_unknown" \
	"$(awk -F, 'NR > 2 && $11 == 1 && $12 == 0 { print $1 "," $5 }' small-10/tables.csv | paste -sd'|')"
# and it is the audit that protects it: without it (--no-audit: only the linked sets) the
# hidden n does not help, uwv_only falls to the same subtraction
mkdir -p noaudit && REC_LEVEL=0 tabulate --no-audit --min-n 10 --csv noaudit/tables.csv "$spec" small.out/persons.rec.gz 2> /dev/null
python3 "$here/attack.py" --protection 10 noaudit/tables.csv > noaudit.attack || echo "not ok - --no-audit: attack.py stopped before its end"
same_line "--no-audit: the attacker recovers uwv_only (7) by subtraction" "uwv_only 7 7 exact" \
	"$(awk -F'\t' '$10 != "protected" { print $5, $7, $8, $10 }' noaudit.attack)"
done_testing
