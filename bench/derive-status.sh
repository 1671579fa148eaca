#!/usr/bin/env bash
# derive-status on a large person/1 stream: throughput as a ratio to the gzip round trip
# (gzip -dc | gzip -1) of the same input file, measured in the same run; peak memory.
# The input: link-waves' output on the generated sections of bench/link-waves.sh
# (BENCH_APPS applications, default 3 000 000 -> 2.4 M people, 2 % of them with waves).
set -eu
root=${KETEN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
export PATH="${KETEN_BIN:-$root/bin}:$PATH"
dir=${BENCH_DIR:-/tmp/keten-bench}/derive-status; mkdir -p "$dir"
apps=${BENCH_APPS:-3000000}
[ "${BENCH_SIZE:-}" = small ] && apps=100000
f=$dir/person-$apps.gz
if [ ! -s "$f" ]; then
	bash "$root/bench/link-waves.sh" --input "$apps" "$dir/sections.gz"
	link-waves "$dir/sections.gz" 2>/dev/null > "$f.tmp" && mv "$f.tmp" "$f"
	rm -f "$dir/sections.gz"
fi
people=$(gzip -dc "$f" | tail -n +3 | wc -l)
raw=$(gzip -dc "$f" | wc -c)
t() { /usr/bin/time -f '%e %M %U %S' -o "$dir/time" "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }; cat "$dir/time"; }
read -r t_gzip _ u s < <(t sh -c "gzip -dc '$f' | gzip -1"); c_gzip=$(awk -v u="$u" -v s="$s" "BEGIN { print u + s }")
read -r t_ds m_ds u s < <(t sh -c "derive-status '$f' > /dev/null"); c_ds=$(awk -v u="$u" -v s="$s" "BEGIN { print u + s }")
read -r t_plain m_plain u s < <(t sh -c "REC_LEVEL=0 derive-status '$f' > /dev/null"); c_plain=$(awk -v u="$u" -v s="$s" "BEGIN { print u + s }")
read -r t_survey _ u s < <(t sh -c "derive-status --on-benefit-source survey '$f' > /dev/null"); c_survey=$(awk -v u="$u" -v s="$s" "BEGIN { print u + s }")
echo "### derive-status: $people people, $((raw / 1000000)) MB person/1 uncompressed ($(du -m "$f" | cut -f1) MB gzip)"
echo
echo "| command | seconds | people/s | ratio to gzip -dc \| gzip -1 | CPU seconds | CPU ratio | peak RSS |"
echo "|---|---|---|---|---|---|---|"
row() { C="$1" awk -v s="$2" -v g="$t_gzip" -v cpu="$3" -v cg="$c_gzip" -v p="$people" -v m="$4" 'BEGIN {
	printf "| %s | %.2f | %.0f | %.2f | %.2f | %.2f | %s |\n", ENVIRON["C"], s, p / s, s / g, cpu, cpu / cg, m == "-" ? "-" : sprintf("%.0f MB", m / 1024) }'; }
row 'gzip -dc FILE \| gzip -1' "$t_gzip" "$c_gzip" -
row 'derive-status FILE (gzip -1 out)' "$t_ds" "$c_ds" "$m_ds"
row 'REC_LEVEL=0 derive-status FILE (plain out)' "$t_plain" "$c_plain" "$m_plain"
row 'derive-status --on-benefit-source survey' "$t_survey" "$c_survey" -
echo
echo "ratio = seconds / seconds of the gzip round trip (two processes: inflate and deflate run"
echo "in parallel); CPU ratio = user+system seconds / those of the round trip. derive-status"
echo "inflates, parses and deflates in one process, one after the other."
