#!/usr/bin/env bash
# The registry monitor (pipelines/cohorts/run) on a world of three years of applications
# (synth --span 2005-01:2007-12; 8 547 000 persons make about 10 million applications), beside
# the report pipeline (pipelines/eerste-jaar/run --registry-only: the span has no survey) on
# the same files. Wall time of each run, and per stage (the runs' summary.txt): wall, CPU,
# peak memory; the two runs take turns (BENCH_REPEAT rounds, default 2), medians reported.
#   bash bench/cohorts.sh              BENCH_SIZE=small: 85 470 persons (about 100 000 applications)
#   BENCH_DIR (default /tmp/keten-bench) holds the world (kept for the next run) and the reports.
# Run it niced on a shared machine: `nice bash bench/cohorts.sh`.
set -eu
root=${KETEN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
export PATH="${KETEN_BIN:-$root/bin}:$PATH"
dir=${BENCH_DIR:-/tmp/keten-bench}
persons=8547000
[ "${BENCH_SIZE:-}" != small ] || persons=85470
rounds=${BENCH_REPEAT:-2}
world=$dir/cohorts-world-$persons
mkdir -p "$dir"

if [ ! -s "$world/uitkeringen.csv" ]; then
	rm -rf "$world"
	/usr/bin/time -f "%e %M" -o "$dir/synth.time" synth --span 2005-01:2007-12 --persons "$persons" --seed 2005 \
		--peildatum 16-02-2008 --out "$world" > /dev/null
	rm -f "$world/truth-cohorts.csv" "$world/dirty.csv"
fi
apps=$(($(wc -l < "$world/cwi_aanvragen.csv") - 1))
mb=$(du -m -c "$world"/*.csv | tail -1 | cut -f1)

# run NAME CMD...: one run into $dir/NAME (a fresh folder: no gates against an earlier run)
run() {
	local name=$1; shift
	rm -rf "${dir:?}/$name"
	"$@" --previous none "$world" "$dir/$name" 2> "$dir/$name.err" || { cat "$dir/$name.err" >&2; return 1; }
	awk '/total wall time/ { print $4 }' "$dir/$name/summary.txt" >> "$dir/$name.walls"
	cp "$dir/$name/summary.txt" "$dir/$name.summary.$(wc -l < "$dir/$name.walls")"
}
rm -f "$dir"/monitor.walls "$dir"/report.walls
for ((i = 1; i <= rounds; i++)); do
	run monitor "$root/pipelines/cohorts/run"
	run report "$root/pipelines/eerste-jaar/run" --registry-only
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
stages() {   # the stage table of a run's summary.txt (fixed columns: records may be empty)
	awk '/^stage +records/ { on = 1; next } on && NF == 0 { exit } on {
		r = substr($0, 20, 10); gsub(/ /, "", r)
		printf "| %s | %s | %s | %s | %s |\n", $1, r, substr($0, 31, 8) + 0, substr($0, 40, 8) + 0, substr($0, 49, 8) + 0
		peak += substr($0, 49, 8); cpu += substr($0, 40, 8) }
		END { printf "\nPeak memory of the stages together: %.0f MB (the sum of their peaks); CPU %.1f s.\n", peak, cpu }' "$1"
}

echo "## The registry monitor beside the report pipeline ($apps applications, $persons persons, raw input $mb MB)"
echo
echo "\`synth --span 2005-01:2007-12 --persons $persons --seed 2005 --peildatum 16-02-2008\`; each run"
echo "reads the same R1-R3 files; $rounds rounds, the two pipelines taking turns; $(date -u +%Y-%m-%d); machine: $(sh "$root/bench/machine")."
echo
echo "| run | wall s (median) | each round |"
echo "|---|---|---|"
echo "| pipelines/cohorts/run (every month cohort) | $(median "$dir/monitor.walls") | $(paste -sd' ' "$dir/monitor.walls") |"
echo "| pipelines/eerste-jaar/run --registry-only | $(median "$dir/report.walls") | $(paste -sd' ' "$dir/report.walls") |"
for name in monitor report; do
	echo
	echo "### $name: the stages of the last round (summary.txt: they run side by side in one pipeline)"
	echo
	echo "| stage | records out | wall s | CPU s | peak MB |"
	echo "|---|---|---|---|---|"
	stages "$dir/$name/summary.txt"
done
