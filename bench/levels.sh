#!/usr/bin/env bash
# levels.sh - what REC_LEVEL costs: derive-status (a typical column-adding stage) on the
# same input at level 0 (plain), 1 through ISA-L, 1 through zlib (REC_ZLIB=1) and 6, with
# the output's size; the measurement behind the default (REC_LEVEL_DEFAULT in rec.h) and
# behind the pipeline's plain text between stages.
set -eu
root=${KETEN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
export PATH="${KETEN_BIN:-$root/bin}:$PATH"
dir=${BENCH_DIR:-/tmp/keten-bench}/levels; mkdir -p "$dir"
in=${LEVELS_INPUT:-}
if [ -z "$in" ]; then
	n=${BENCH_PERSONS:-400000}; [ "${BENCH_SIZE:-}" = small ] && n=40000
	w=$dir/world-$n
	[ -s "$w/golf3.csv" ] || { synth --persons "$n" --seed 3 --out "$w" >/dev/null && chmod 600 "$w/pseudonym.key"; }
	in=$dir/person-$n.gz
	[ -s "$in" ] || ingest --key-file "$w/pseudonym.key" "$w"/cwi_aanvragen.csv "$w"/uwv_overdracht.csv "$w"/uitkeringen.csv \
		"$w"/steekproef.csv "$w"/golf1.csv "$w"/golf2.csv "$w"/golf3.csv 2>/dev/null | link-waves 2>/dev/null > "$in"
fi
run() {  # label env...
	local label=$1; shift
	env "$@" /usr/bin/time -f "%e %U %S" -o "$dir/t" derive-status "$in" > "$dir/out"
	read -r wall u s < "$dir/t"
	printf '| %s | %.2f | %.2f | %.0f |\n' "$label" "$wall" "$(echo "$u $s" | awk '{ print $1 + $2 }')" "$(stat -c %s "$dir/out" | awk '{ print $1 / 1e6 }')"
}
echo "### REC_LEVEL: derive-status on $(gzip -dc "$in" | wc -c | awk '{ printf "%.0f", $1 / 1e6 }') MB of person/1"
echo
echo "| output | wall s | CPU s | output MB |"
echo "|---|---|---|---|"
run "REC_LEVEL=0 (plain text)" REC_LEVEL=0
run "REC_LEVEL=1, ISA-L" REC_LEVEL=1
run "REC_LEVEL=1, zlib (REC_ZLIB=1)" REC_LEVEL=1 REC_ZLIB=1
run "REC_LEVEL=6, zlib" REC_LEVEL=6
/usr/bin/time -f "%e %U %S" -o "$dir/t" sh -c "gzip -dc '$in' | gzip -1 > /dev/null"
read -r wall u s < "$dir/t"
printf '| (gzip -dc IN \\| gzip -1, for scale) | %.2f | %.2f | |\n' "$wall" "$(echo "$u $s" | awk '{ print $1 + $2 }')"
