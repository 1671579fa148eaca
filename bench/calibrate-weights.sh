#!/usr/bin/env bash
# calibrate-weights against the gzip round trip (gzip -dc IN | gzip -1) of its own input, in
# the same run: wall time, CPU time (user + sys, all processes), peak memory. The stage reads
# its input twice (the second time from its spool, a copy of the input as read), calibrates
# four respondent sets to the pipeline's calibration.spec, and writes the input plus five
# columns. Inputs (person_support/1, gzip -1, cached in $BENCH_DIR/calibrate-weights):
#   1m        synth --seed 3 --persons 855000: about 1 M applications, 820 000 people, the
#             report's panel of 6 000 (the golden world m1)
#   demo      synth --seed 2006 at the default size (164 000 people, the same panel): with
#             1m, shows that memory does not grow with the number of people
#   1m-big    as 1m with --sample 100000 (about 55 000 respondents in wave 1): the cost of
#             the calibration itself, which grows with the respondents
# BENCH_SIZE=small: 50 000 persons instead of 855 000, to check the script.
set -eu
root=${KETEN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
export PATH="${KETEN_BIN:-$root/bin}:$PATH"
dir=${BENCH_DIR:-/tmp/keten-bench}/calibrate-weights; mkdir -p "$dir"
spec=$root/pipelines/eerste-jaar/calibration.spec
big=855000
[ "${BENCH_SIZE:-}" = small ] && big=50000

# input NAME SYNTH-OPTIONS...: the chain up to classify-support, cached
input() {
	local name=$1 f=$dir/$1.gz; shift
	if [ ! -s "$f" ]; then
		rm -rf "$dir/world"
		synth "$@" --out "$dir/world" > /dev/null
		( set -o pipefail
		  REC_LEVEL=0 ingest --key-file "$dir/world/pseudonym.key" \
			"$dir"/world/{cwi_aanvragen,uwv_overdracht,uitkeringen,steekproef,golf1,golf2,golf3}.csv 2> /dev/null |
			REC_LEVEL=0 link-waves 2> /dev/null | REC_LEVEL=0 derive-status |
			REC_LEVEL=1 classify-support > "$f.tmp" )
		mv "$f.tmp" "$f"
		rm -rf "$dir/world"
	fi
	echo "$f"
}
inputs=("$(input 1m --seed 3 --persons $big)" "$(input demo --seed 2006)"
        "$(input 1m-big --seed 3 --persons $big --sample $((big * 100000 / 855000)))")

. "$root/bench/timing.bash"

echo "### calibrate-weights against the gzip round trip on its own input"
echo
echo "| input | people | respondents w1/w2/w3 | MB in (plain / gzip) | command | wall s | CPU s | wall ratio | CPU ratio | peak RSS |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for f in "${inputs[@]}"; do
	name=$(basename "$f" .gz)
	read -r n r1 r2 r3 <<< "$(gzip -dc "$f" | awk -F, 'NR == 2 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		!/^#schema/ { n++; r1 += $c["responded_w1"]; r2 += $c["responded_w2"]; r3 += $c["responded_w3"] }
		END { print n, r1, r2, r3 }')"
	raw=$(gzip -dc "$f" | wc -c); packed=$(stat -c %s "$f")
	read -r w_g c_g _ <<< "$(best "gzip -dc '$f' | gzip -1")"
	read -r w_c c_c m_c <<< "$(best "TMPDIR='$dir' calibrate-weights '$spec' '$f'")"
	read -r w_p c_p m_p <<< "$(best "TMPDIR='$dir' REC_LEVEL=0 calibrate-weights '$spec' '$f'")"
	row() { CMD=$1 awk -v i="$name" -v n="$n" -v r="$r1/$r2/$r3" -v raw="$raw" -v pk="$packed" -v w="$2" \
		-v cpu="$3" -v wg="$w_g" -v cg="$c_g" -v m="$4" 'BEGIN {
		printf "| %s | %d | %s | %.0f / %.0f | %s | %.2f | %.2f | %.2f | %.2f | %s |\n",
			i, n, r, raw / 1e6, pk / 1e6, ENVIRON["CMD"], w, cpu, w / wg, cpu / cg, m }'; }
	row 'gzip -dc IN \| gzip -1' "$w_g" "$c_g" "-"
	row 'calibrate-weights SPEC IN (gzip -1 out, default)' "$w_c" "$c_c" "$((m_c / 1024)) MB"
	row 'REC_LEVEL=0 calibrate-weights SPEC IN (plain out)' "$w_p" "$c_p" "$((m_p / 1024)) MB"
done
echo
echo "The spool holds the input as read (gzip stays gzip): as many bytes on disk as the input."
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
