#!/usr/bin/env bash
# rec-check --pass on a stream of at least 1 GB uncompressed, against the gzip round trip
# (gzip -dc | gzip -1) on the same file in the same run; peak memory of rec-check.
set -eu
root=${KETEN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
export PATH="${KETEN_BIN:-$root/bin}:$PATH"
dir=${BENCH_DIR:-/tmp/keten-bench}/rec-check; mkdir -p "$dir"
rows=${BENCH_ROWS:-13000000}
[ "${BENCH_SIZE:-}" = small ] && rows=200000
f=$dir/sample-$rows.gz
if [ ! -s "$f" ]; then
	# sample/1 rows with realistic widths (about 90 bytes a row) and a quoted field now and then
	awk -v n="$rows" 'BEGIN {
		print "#schema sample/1"; print "respondent_id,person_key,source_line,stratum,inclusion_prob"
		srand(1)
		for (i = 1; i <= n; i++)
			printf "R%08d,%08x%08x%08x%08x,%d,%s,%.6f\n", i, rand()*2^32, rand()*2^32, rand()*2^32, i, i+1,
			       (i % 7 == 0) ? "\"ww, fase 3-4, Fryslân\"" : "wwb_fase_1_2_noord", 0.001 + rand() * 0.5
	}' | gzip -1 > "$f.tmp" && mv "$f.tmp" "$f"
fi
raw=$(gzip -dc "$f" | wc -c)
t() { /usr/bin/time -f '%e %M' -o "$dir/time" "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }; cat "$dir/time"; }
read -r t_gzip _ < <(t sh -c "gzip -dc '$f' | gzip -1")
read -r t_pass m_pass < <(t sh -c "rec-check --pass -q '$f' > /dev/null")
read -r t_struct m_struct < <(t sh -c "rec-check --pass --structure -q '$f' > /dev/null")
read -r t_inflate _ < <(t sh -c "gzip -dc '$f' > /dev/null")
mb=$(awk -v b="$raw" 'BEGIN { printf "%.0f", b / 1e6 }')
echo "### rec-check --pass: $rows records, $mb MB uncompressed ($(du -m "$f" | cut -f1) MB gzip)"
echo
echo "| command | seconds | MB/s (uncompressed) | ratio to gzip -dc \| gzip -1 | peak RSS |"
echo "|---|---|---|---|---|"
row() { L="$1" awk -v s="$2" -v g="$t_gzip" -v b="$raw" -v m="$3" 'BEGIN { printf "| %s | %.2f | %.0f | %.2f | %s |\n", ENVIRON["L"], s, b / 1e6 / s, s / g, m }'; }
row 'gzip -dc FILE \| gzip -1' "$t_gzip" "-"
row 'gzip -dc FILE (inflate only)' "$t_inflate" "-"
row 'rec-check --pass (values checked)' "$t_pass" "$((m_pass / 1024)) MB"
row 'rec-check --pass --structure' "$t_struct" "$((m_struct / 1024)) MB"
