#!/usr/bin/env bash
# classify-support on a large person_status/1 stream, against the gzip round trip
# (gzip -dc | gzip -1) on the same file in the same run; peak memory.
# The stream: the hand-made people of tests/classify-support/data/people.txt, filled out
# with the registry and survey columns a real derive-status row carries (dates, ids,
# weights, answers), repeated with new person keys. BENCH_ROWS (default 3 000 000).
set -eu
root=${KETEN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
export PATH="${KETEN_BIN:-$root/bin}:$PATH"
dir=${BENCH_DIR:-/tmp/keten-bench}/classify-support; mkdir -p "$dir"
rows=${BENCH_ROWS:-3000000}
[ "${BENCH_SIZE:-}" = small ] && rows=100000
f=$dir/status-$rows.gz
if [ ! -s "$f" ]; then
	# widen every person of people.txt with the columns a real row has; mkstatus applies
	# fields left to right, so the filler goes first and each person's own fields win
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
		}' "$dir/templates.csv" | gzip -1 > "$f.tmp" && mv "$f.tmp" "$f"
fi
raw=$(gzip -dc "$f" | wc -c)
t() { /usr/bin/time -f '%e %M' -o "$dir/time" "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }; cat "$dir/time"; }
read -r t_gzip _ < <(t sh -c "gzip -dc '$f' | gzip -1")
read -r t_cs m_cs < <(t sh -c "classify-support '$f' > /dev/null")
read -r t_plain m_plain < <(t sh -c "REC_LEVEL=0 classify-support '$f' > /dev/null")
read -r t_inflate _ < <(t sh -c "gzip -dc '$f' > /dev/null")
read -r t_gzip2 _ < <(t sh -c "gzip -dc '$f' | gzip -1")
t_gzip=$(awk -v a="$t_gzip" -v b="$t_gzip2" 'BEGIN { print (a < b) ? a : b }')
mb=$(awk -v b="$raw" 'BEGIN { printf "%.0f", b / 1e6 }')
echo "### classify-support: $rows records, $mb MB uncompressed in ($(du -m "$f" | cut -f1) MB gzip)"
echo
echo "| command | seconds | records/s | MB/s in (uncompressed) | ratio to gzip -dc \| gzip -1 | peak RSS |"
echo "|---|---|---|---|---|---|"
row() { awk -v c="$1" -v s="$2" -v g="$t_gzip" -v b="$raw" -v n="$rows" -v m="$3" 'BEGIN {
	printf "| %s | %.2f | %.0f | %.0f | %.2f | %s |\n", c, s, n / s, b / 1e6 / s, s / g, m }'; }
row 'gzip -dc IN \| gzip -1 (faster of two runs)' "$t_gzip" "-"
row 'gzip -dc IN (inflate only)' "$t_inflate" "-"
row 'classify-support IN (gzip -1 out, the default)' "$t_cs" "$((m_cs / 1024)) MB"
row 'REC_LEVEL=0 classify-support IN (plain out)' "$t_plain" "$((m_plain / 1024)) MB"
echo
echo "Output is wider than input (31 columns added), so the gzip -1 of classify-support's"
echo "output compresses more bytes than the round trip does."
