#!/usr/bin/env bash
# versus.sh - every stage against the same stage of another build, side by side in one run:
# the CPU seconds (user + system) and wall seconds of each as a ratio to the gzip round
# trip (gzip -dc | gzip -1) of its own input, measured in the same round, rounds
# alternating the two builds; medians of the rounds. For "no stage slower than before"
# after a refactor:
#
#   BASE_BIN=/tmp/base/bin BENCH_DIR=/tmp/bench-$USER bash bench/versus.sh
#
# The inputs are made once, by the base build, from the 1 M world of
# /work/golden/worlds/m1 (or BENCH_WORLD; BENCH_ROUNDS rounds, default 5; BENCH_STAGES
# "link-waves shard" for some stages only; BASE_SPEC the base build's pipelines/eerste-jaar,
# by default beside BASE_BIN). On a loaded
# machine wall seconds swing by tens of percent from round to round; CPU seconds much
# less; BENCH_COUNT=instructions counts the instructions each stage executes instead
# (valgrind's callgrind: exact and repeatable, on a smaller world, BENCH_WORLD).
set -eu
root=${KETEN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
new=${KETEN_BIN:-$root/bin}
base=${BASE_BIN:-}
if [ -z "$base" ]; then
	echo "versus: set BASE_BIN to the bin/ of the build to compare with (skipped)"
	exit 0
fi
world=${BENCH_WORLD:-/work/golden/worlds/m1}
rounds=${BENCH_ROUNDS:-5}
dir=${BENCH_DIR:-/tmp/keten-bench}/versus; mkdir -p "$dir"
spec=$root/pipelines/eerste-jaar
base_spec=${BASE_SPEC:-$base/../pipelines/eerste-jaar}   # each build reads its own specs
for f in "$base_spec/models.spec" "$base_spec/tables.spec" "$world/pseudonym.key"; do
	[ -r "$f" ] || { echo "versus: cannot read $f (BASE_SPEC: the base build's pipelines/eerste-jaar; BENCH_WORLD: a synth world)" >&2; exit 2; }
done
raw=("$world"/{cwi_aanvragen,uwv_overdracht,uitkeringen,steekproef,golf1,golf2,golf3}.csv)
if [ ! -s "$dir/support.gz" ]; then
	"$base/ingest" --key-file "$world/pseudonym.key" "${raw[@]}" 2>/dev/null > "$dir/ingest.gz"
	"$base/link-waves" "$dir/ingest.gz" 2>/dev/null > "$dir/person.gz"
	"$base/derive-status" "$dir/person.gz" > "$dir/status.gz"
	"$base/classify-support" "$dir/status.gz" > "$dir/support.gz"
	"$base/fit-models" -i "$dir/support.gz" "$base_spec/models.spec" 2>/dev/null > "$dir/models.gz"
	"$base/shard" -n 2 -o "$dir/shard" "$dir/ingest.gz" 2>/dev/null
	for k in 0 1; do
		"$base/link-waves" "$dir/shard.$k.gz" 2>/dev/null | "$base/derive-status" |
			"$base/classify-support" > "$dir/part.$k.gz"
	done
fi
# stage: name, input file (for the gzip round trip), command (BIN and SPEC: the build's)
stages=(
	"ingest|$world/cwi_aanvragen.csv|BIN/ingest --key-file $world/pseudonym.key ${raw[*]}"
	"link-waves|$dir/ingest.gz|BIN/link-waves $dir/ingest.gz"
	"derive-status|$dir/person.gz|BIN/derive-status $dir/person.gz"
	"classify-support|$dir/status.gz|BIN/classify-support $dir/status.gz"
	"fit-models|$dir/support.gz|BIN/fit-models -i $dir/support.gz SPEC/models.spec"
	"tabulate|$dir/models.gz|BIN/tabulate SPEC/tables.spec $dir/models.gz"
	"rec-check|$dir/support.gz|BIN/rec-check -q $dir/support.gz"
	"shard|$dir/ingest.gz|BIN/shard -n 2 -o $dir/out $dir/ingest.gz"
	"rec-merge|$dir/part.0.gz|BIN/rec-merge --key person_key $dir/part.0.gz $dir/part.1.gz"
)
# one run of a command: "CPU-seconds wall-seconds" (or "instructions instructions")
secs() {
	if [ "${BENCH_COUNT:-}" = instructions ]; then
		valgrind --tool=callgrind --callgrind-out-file=/dev/null --trace-children=yes sh -c "$1" 2>&1 >/dev/null |
			awk '/I +refs:/ { gsub(/,/, "", $NF); n += $NF } END { print n, n }'
		return
	fi
	/usr/bin/time -f '%U %S %e' -o "$dir/time" sh -c "$1" >/dev/null 2>&1 || { echo "versus: failed: $1" >&2; exit 1; }
	awk '{ print $1 + $2, $3 }' "$dir/time"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
unit=${BENCH_COUNT:+instructions}
echo "### every stage against $base: ${unit:-CPU seconds (wall seconds)} / those of gzip -dc | gzip -1 of its input (median of $rounds rounds)"
echo
echo "| stage | gzip round trip | base | new | base ratio | new ratio | new / base | wall: base ratio | new ratio | new / base |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for st in "${stages[@]}"; do
	IFS='|' read -r name input cmd <<< "$st"
	[ -n "${BENCH_STAGES:-}" ] && [[ " $BENCH_STAGES " != *" $name "* ]] && continue
	: > "$dir/g"; : > "$dir/b"; : > "$dir/n"
	for r in $(seq "$rounds"); do
		secs "gzip -dcf '$input' | gzip -1" >> "$dir/g"
		b_cmd=${cmd//BIN/$base}; b_cmd=${b_cmd//SPEC/$base_spec}
		n_cmd=${cmd//BIN/$new}; n_cmd=${n_cmd//SPEC/$spec}
		if [ $((r % 2)) = 1 ]; then
			secs "$b_cmd" >> "$dir/b"; secs "$n_cmd" >> "$dir/n"
		else
			secs "$n_cmd" >> "$dir/n"; secs "$b_cmd" >> "$dir/b"
		fi
	done
	g=$(cut -d' ' -f1 "$dir/g" | median); b=$(cut -d' ' -f1 "$dir/b" | median); n=$(cut -d' ' -f1 "$dir/n" | median)
	gw=$(cut -d' ' -f2 "$dir/g" | median); bw=$(cut -d' ' -f2 "$dir/b" | median); nw=$(cut -d' ' -f2 "$dir/n" | median)
	awk -v s="$name" -v g="$g" -v b="$b" -v n="$n" -v gw="$gw" -v bw="$bw" -v nw="$nw" 'BEGIN {
		printf "| %s | %.4g | %.4g | %.4g | %.3f | %.3f | %.3f | %.2f | %.2f | %.2f |\n", s, g, b, n, b / g, n / g, n / b,
			bw / gw, nw / gw, nw / bw }'
done
echo
echo "(REC_LEVEL as in the environment; the machine is shared: read the ratios, not the seconds;"
echo "under BENCH_COUNT=instructions the wall columns repeat the counts)"
