#!/usr/bin/env bash
# tabulate against the gzip round trip (gzip -dc IN | gzip -1) and against reading alone
# (gzip -dc IN > /dev/null) on the same person_support/1 stream in the same run: wall and
# CPU time, records a second, peak memory. tabulate writes a few hundred cells, so reading
# (inflate + CSV) is what it cannot avoid; the round trip is the project's yardstick.
# Memory must not grow with the number of people: the input is also run doubled (the
# stream twice, `cat a a`), which must show the same peak.
#   input     a synth world of BENCH_PERSONS persons (default 1 000 000, a sample of a tenth)
#             through ingest | link-waves | derive-status | classify-support, cached in
#             $BENCH_DIR/tabulate. BENCH_SIZE=small: 50 000 persons (checks the script).
set -eu
root=${KETEN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
export PATH="${KETEN_BIN:-$root/bin}:$PATH"
dir=${BENCH_DIR:-/tmp/keten-bench}/tabulate; mkdir -p "$dir"
persons=${BENCH_PERSONS:-1000000}
[ "${BENCH_SIZE:-}" = small ] && persons=50000
spec=$root/pipelines/eerste-jaar/tables.spec
tables=coverage,fig1,fig3,fig4,fig6,handover,handover_support,handover_distance,hours,obligation,counts

in=$dir/support-$persons.gz
if [ ! -s "$in" ]; then
	rm -rf "$dir/world"
	synth --seed 7 --persons "$persons" --sample $((persons / 10)) --out "$dir/world" > /dev/null
	( set -o pipefail
	  REC_LEVEL=0 ingest --key-file "$dir/world/pseudonym.key" \
		$(ls "$dir"/world/*.csv | grep -Ev '/(truth[^/]*|dirty)\.csv$') 2> /dev/null |
		REC_LEVEL=0 link-waves 2> /dev/null | REC_LEVEL=0 derive-status |
		REC_LEVEL=1 classify-support > "$in.tmp" )
	mv "$in.tmp" "$in"
	rm -rf "$dir/world"
fi
double=$dir/support-$persons-x2.gz
[ -s "$double" ] || cat "$in" "$in" > "$double"

# t CMD: "wall cpu peak-kB" of CMD (run by sh, children included)
t() { /usr/bin/time -f '%e %U %S %M' -o "$dir/time" sh -c "$1" >/dev/null 2>&1 ||
	{ echo "bench: failed: $1" >&2; exit 1; }; awk '{ print $1, $2 + $3, $4 }' "$dir/time"; }
# best of two runs (by wall time): the machine is shared
best() { local a b; a=$(t "$1"); b=$(t "$1"); awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); print (x[1] <= y[1]) ? a : b }'; }

n=$(gzip -dc "$in" | grep -vc '^#'); n=$((n - 1))
raw=$(gzip -dc "$in" | wc -c); packed=$(stat -c %s "$in")
cells=$(REC_LEVEL=0 tabulate --tables "$tables" "$spec" "$in" | tail -n +3 | wc -l)

echo "### tabulate against the gzip round trip on its own input"
echo
echo "Input: $n person_support/1 records, $((raw / 1000000)) MB plain, $((packed / 1000000)) MB gzip; $cells cells out (the report's people tables)."
echo
echo "| command | wall s | CPU s | records/s | wall ratio to round trip | CPU ratio | peak RSS |"
echo "|---|---|---|---|---|---|---|"
read -r w_g c_g _ <<< "$(best "gzip -dc '$in' | gzip -1")"
read -r w_r c_r _ <<< "$(best "gzip -dc '$in' > /dev/null")"
# the command text goes through the environment: awk -v would read its '\|' as an escape
row() { ROW_TEXT=$1 awk -v n="$n" -v w="$2" -v cpu="$3" -v wg="$w_g" -v cg="$c_g" -v m="$4" 'BEGIN {
	printf "| %s | %.2f | %.2f | %.0f | %.2f | %.2f | %s |\n", ENVIRON["ROW_TEXT"], w, cpu, n / w, w / wg, cpu / cg, m }'; }
row 'gzip -dc IN \| gzip -1' "$w_g" "$c_g" "-"
row 'gzip -dc IN > /dev/null' "$w_r" "$c_r" "-"
read -r w c m <<< "$(best "tabulate --tables $tables '$spec' '$in'")"
row 'tabulate --tables PEOPLE-TABLES SPEC IN (csv)' "$w" "$c" "$(awk -v k="$m" 'BEGIN { printf "%.1f MB", k / 1024 }')"
read -r w c m <<< "$(best "tabulate --weights both --tables $tables '$spec' '$in'")"
row 'tabulate --weights both ... (csv)' "$w" "$c" "$(awk -v k="$m" 'BEGIN { printf "%.1f MB", k / 1024 }')"
read -r w c m <<< "$(best "tabulate --format html --tables $tables '$spec' '$in'")"
row 'tabulate --format html ...' "$w" "$c" "$(awk -v k="$m" 'BEGIN { printf "%.1f MB", k / 1024 }')"
read -r w c m2 <<< "$(best "tabulate --tables $tables '$spec' '$double'")"
awk -v n="$((2 * n))" -v w="$w" -v cpu="$c" -v m="$(awk -v k="$m2" 'BEGIN { printf "%.1f", k / 1024 }')" 'BEGIN {
	printf "| tabulate on the input twice (%d records) | %.2f | %.2f | %.0f | | | %s MB |\n", n, w, cpu, n / w, m }'
echo
echo "Peak memory with the input doubled: $m2 kB against $m kB: accumulators per cell"
echo "and stratum, nothing per person. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
