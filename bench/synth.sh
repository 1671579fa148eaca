#!/usr/bin/env bash
# synth at 1 and 10 million applications: applications per second, peak memory
# (/usr/bin/time -f %M: must not grow with N), bytes written, and for scale the time
# `gzip -1` takes to compress the same raw files in the same run. Then the population
# figures of the 1-million world against the report's (DOMAIN.md: within 1 point for shares,
# 0.1 h for hours). BENCH_SIZE=small: 100 000 and 1 000 000 instead.
set -eu
root=${KETEN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
export PATH="${KETEN_BIN:-$root/bin}:$PATH"
dir=${BENCH_DIR:-/tmp/keten-bench}/synth; mkdir -p "$dir"
sizes="1000000 10000000"
[ "${BENCH_SIZE:-}" = small ] && sizes="100000 1000000"
per_person=1.17   # applications per person at the default parameters (R1 rows / --persons)

echo "## synth"
echo
echo "| applications | persons | seconds | applications/s | peak RSS (MiB) | MB written | gzip -1 of the same (s) |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
first=""
for n in $sizes; do
	persons=$(awk -v n="$n" -v r="$per_person" 'BEGIN { printf "%d", n / r }')
	rm -rf "$dir/w"
	/usr/bin/time -f '%e %M' -o "$dir/time" synth --persons "$persons" --out "$dir/w" >/dev/null
	read -r secs kib < "$dir/time"
	apps=$(($(wc -l < "$dir/w/cwi_aanvragen.csv") - 1))
	bytes=$(cat "$dir"/w/*.csv | wc -c)
	gz=$( { /usr/bin/time -f '%e' sh -c "cat '$dir'/w/cwi_aanvragen.csv '$dir'/w/uitkeringen.csv '$dir'/w/uwv_overdracht.csv | gzip -1 > /dev/null"; } 2>&1 | tail -1)
	awk -v a="$apps" -v p="$persons" -v s="$secs" -v k="$kib" -v b="$bytes" -v g="$gz" 'BEGIN {
		printf "| %d | %d | %.1f | %.0f | %.1f | %.0f | %.1f |\n", a, p, s, a / (s > 0 ? s : 0.01), k / 1024, b / 1e6, g }'
	[ -z "$first" ] && { first=$n; rm -rf "$dir/first"; mv "$dir/w" "$dir/first"; }
done
rm -rf "$dir/w"
echo
echo "Population figures of the $first-application world (seed 1) against the report:"
echo
echo "| figure | synth | report | difference |"
echo "|---|---:|---:|---:|"
awk -F, '
BEGIN {
	t["coverage,ww,year,on_benefit_6m,any_support"] = 0.97; t["coverage,wwb,year,on_benefit_6m,any_support"] = 0.88
	t["fig1,ww,h1,on_benefit_3m,any_support"] = 0.95; t["fig1,ww,h2,on_benefit_6m,any_support"] = 0.67
	t["fig1,ww,h2,on_benefit_12m,any_support"] = 0.74; t["fig4,wwb,h1,on_benefit_3m,any_support"] = 0.83
	t["fig4,wwb,h2,on_benefit_6m,any_support"] = 0.56; t["fig4,wwb,h2,on_benefit_12m,any_support"] = 0.55
	t["handover,ww,year,on_benefit_6m,none"] = 0.06; t["handover,ww,year,on_benefit_6m,cwi_only"] = 0.26
	t["handover,ww,year,on_benefit_6m,uwv_only"] = 0.13; t["handover,ww,year,on_benefit_6m,both"] = 0.55
	t["handover_support,ww,h2,on_benefit_6m,uwv_unknown"] = 0.50
	t["fig3,ww,year,on_benefit_6m,programme"] = 0.47; t["fig3,ww,year,on_benefit_6m,training"] = 1 / 7
	t["obligation,wwb,h1,all,no_obligation"] = 2 / 3
	t["hours,ww,h1,on_benefit_3m,all"] = 7.7; t["hours,ww,h2,on_benefit_6m,all"] = 6.3
	t["hours,wwb,h1,on_benefit_3m,all"] = 3.2; t["hours,wwb,h2,on_benefit_6m,all"] = 1.9
}
$7 == "population" { k = $1 "," $2 "," $3 "," $4 "," $5; if (k in t) printf "| %s | %.4f | %.4f | %+.4f |\n", k, $8, t[k], $8 - t[k] }
' "$dir/first/truth.csv"
rm -rf "$dir/first"
