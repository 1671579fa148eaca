#!/usr/bin/env bash
# classify-support against the gzip round trip (gzip -dc IN | gzip -1) on the same input
# in the same run: wall time and CPU time (user + sys, all processes: the round trip runs
# two processes, which overlap on two cores; classify-support is one), peak memory.
# Two inputs:
#   synth     a synth world (BENCH_PERSONS persons, default 1 000 000, a sample of a tenth)
#             through ingest | link-waves | derive-status: realistic compressibility, most
#             people sampled out (survey columns empty)
#   dense     every row a survey respondent: the hand-made people of
#             tests/classify-support/data/people.txt widened with the registry and survey
#             columns a real row has, repeated with new person keys (BENCH_ROWS, default
#             3 000 000); very repetitive, so gzip finds it cheap
# Inputs are cached in $BENCH_DIR/classify-support. BENCH_SIZE=small: quick check.
set -eu
root=${KETEN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
export PATH="${KETEN_BIN:-$root/bin}:$PATH"
dir=${BENCH_DIR:-/tmp/keten-bench}/classify-support; mkdir -p "$dir"
rows=${BENCH_ROWS:-3000000} persons=${BENCH_PERSONS:-1000000}
[ "${BENCH_SIZE:-}" = small ] && rows=100000 persons=50000

dense=$dir/dense-$rows.gz
if [ ! -s "$dense" ]; then
	# mkstatus applies fields left to right: the filler goes first, each person's own win
	fill="decision_date=2006-03-21 education=upper_secondary spell_start=2006-03-06"
	fill="$fill spell_end=2006-11-17 spell_end_reason=work extract_date=2007-06-30"
	fill="$fill respondent_id=R000123 stratum=WW_fase_3-4_Fryslân inclusion_prob=0.0125"
	fill="$fill design_weight=80 days_on_benefit=256 spell_running=0 on_benefit_3m=1"
	fill="$fill on_benefit_6m=1 on_benefit_12m=0 w1_fill_date=2006-04-02 w1_work=none"
	fill="$fill w1_looking=1 w1_search_hours=8 w1_applications=4 w1_asked_help=1"
	fill="$fill w1_obligation=yes w1_health=2 w1_household=couple w2_fill_date=2006-09-12"
	fill="$fill w2_on_benefit_now=1 w2_work=partly w2_looking=1 w2_search_hours=6"
	fill="$fill w2_applications=11 w2_asked_help=0 w2_obligation=yes w2_health=3"
	fill="$fill w3_fill_date=2007-03-20 w3_on_benefit_now=0 w3_benefit_end_month=9 w3_work=full"
	fill="$fill w3_looking=0 w3_search_hours= w3_applications=0 w3_asked_help=0"
	fill="$fill w3_obligation=no w3_health=2 h1_poor_health=0 h2_poor_health=0"
	fill="$fill h1_asked_help=1 h2_asked_help=0 h1_obligation=yes h2_obligation=no"
	fill="$fill h1_work_resumed=partly h2_work_resumed=fully h1_looking=1 h2_looking=0"
	fill="$fill h1_search_hours=6 h2_search_hours=0 h1_applications=11 h2_applications=0"
	awk -v fill="$fill" '/^[^# \t]/ { k = $1; $1 = ""; print k, fill, $0; next } { print }' \
		"$root/tests/classify-support/data/people.txt" > "$dir/people.txt"
	KETEN_ROOT=$root python3 "$root/tests/classify-support/mkstatus.py" "$dir/people.txt" > "$dir/templates.csv"
	awk -F, -v OFS=, -v n="$rows" '
		NR <= 2 { print; next }
		{ t[++nt] = $0 }
		END {
			srand(1)
			for (i = 1; i <= n; i++) {
				$0 = t[(i - 1) % nt + 1]
				$1 = sprintf("%08x%08x%08x%08x", int(rand() * 2^31), int(rand() * 2^31), int(rand() * 2^31), i)
				print
			}
		}' "$dir/templates.csv" | gzip -1 > "$dense.tmp" && mv "$dense.tmp" "$dense"
fi

synthf=$dir/synth-$persons.gz
if [ ! -s "$synthf" ]; then
	rm -rf "$dir/world"
	synth --seed 7 --persons "$persons" --sample $((persons / 10)) --out "$dir/world" > /dev/null
	( set -o pipefail
	  REC_LEVEL=0 ingest --key-file "$dir/world/pseudonym.key" \
		$(ls "$dir"/world/*.csv | grep -Ev '/(truth[^/]*|dirty)\.csv$') 2> /dev/null |
		REC_LEVEL=0 link-waves 2> /dev/null | REC_LEVEL=1 derive-status > "$synthf.tmp" )
	mv "$synthf.tmp" "$synthf"
	rm -rf "$dir/world"
fi

# t CMD: "wall cpu peak-kB" of CMD (run by sh, children included)
t() { /usr/bin/time -f '%e %U %S %M' -o "$dir/time" sh -c "$1" >/dev/null 2>&1 ||
	{ echo "bench: failed: $1" >&2; exit 1; }; awk '{ print $1, $2 + $3, $4 }' "$dir/time"; }
# best of two runs (by wall time): the machine is shared
best() { local a b; a=$(t "$1"); b=$(t "$1"); awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); print (x[1] <= y[1]) ? a : b }'; }

echo "### classify-support against the gzip round trip on its own input"
echo
echo "| input | records | MB in (plain / gzip) | command | wall s | CPU s | records/s | wall ratio | CPU ratio | peak RSS |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for f in "$synthf" "$dense"; do
	name=$(basename "$f" .gz); name=${name%%-*}
	n=$(gzip -dc "$f" | grep -vc '^#schema' ); n=$((n - $(gzip -dc "$f" | grep -c '^#schema')))
	raw=$(gzip -dc "$f" | wc -c); packed=$(stat -c %s "$f")
	read -r w_g c_g _ <<< "$(best "gzip -dc '$f' | gzip -1")"
	read -r w_c c_c m_c <<< "$(best "classify-support '$f'")"
	read -r w_p c_p m_p <<< "$(best "REC_LEVEL=0 classify-support '$f'")"
	# the command travels in the environment: awk -v would eat the backslash of '\|'
	row() { CMD=$1 awk -v i="$name" -v n="$n" -v raw="$raw" -v pk="$packed" -v w="$2" -v cpu="$3" \
		-v wg="$w_g" -v cg="$c_g" -v m="$4" 'BEGIN {
		printf "| %s | %d | %.0f / %.0f | %s | %.2f | %.2f | %.0f | %.2f | %.2f | %s |\n",
			i, n, raw / 1e6, pk / 1e6, ENVIRON["CMD"], w, cpu, n / w, w / wg, cpu / cg, m }'; }
	row 'gzip -dc IN \| gzip -1' "$w_g" "$c_g" "-"
	row 'classify-support IN (gzip -1 out, default)' "$w_c" "$c_c" "$((m_c / 1024)) MB"
	row 'REC_LEVEL=0 classify-support IN (plain out)' "$w_p" "$c_p" "$((m_p / 1024)) MB"
done
echo
echo "classify-support adds 31 columns, so its gzip -1 compresses more bytes than the round"
echo "trip writes. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
